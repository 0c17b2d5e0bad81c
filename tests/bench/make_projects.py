#!/usr/bin/env python3
"""Writes N varied, realistic annex projects for benchmarks and batch demonstrations.

Each project starts from one of the examples in templates/examples and varies the parties,
the annex id and number, dates, the protection levels (per basic value), the language and
the service flags, so that no two annexes are the same document. The output is deterministic
for a given seed.

    python3 tests/bench/make_projects.py N DIR [--seed S] [--broken K] [--same-clauses]

--same-clauses keeps language, levels and service flags of the example (so every annex has the
same clauses) and varies only parties, ids, dates and service-level figures: a portfolio of
contracts of one kind.

--broken K adds K projects that must fail (one with a JSON syntax error, one with an
inconsistent service level, then alternating).
"""

import argparse
import json
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "templates" / "examples").glob("*.json"))

CLIENTS = [
    ("Stadt {}", "Rathausplatz {n}\n{zip} {city}\nDeutschland"),
    ("Klinikum {} gGmbH", "Krankenhausstraße {n}\n{zip} {city}\nDeutschland"),
    ("Sparkasse {}", "Am Markt {n}\n{zip} {city}\nDeutschland"),
    ("Landkreis {}", "Kreishaus, Bahnhofstraße {n}\n{zip} {city}\nDeutschland"),
    ("Stadtwerke {} GmbH", "Energieweg {n}\n{zip} {city}\nDeutschland"),
    ("Volksbank {} eG", "Hauptstraße {n}\n{zip} {city}\nDeutschland"),
]
CITIES = [
    "Aachen", "Bamberg", "Celle", "Detmold", "Erfurt", "Fulda", "Göttingen", "Hameln",
    "Ingolstadt", "Jena", "Kassel", "Lübeck", "Marburg", "Neuss", "Oldenburg", "Passau",
    "Regensburg", "Siegen", "Trier", "Ulm", "Würzburg", "Zwickau",
]
PROVIDERS = [
    "Rechenzentrum Nord GmbH", "Datenwerk Süd AG", "CloudOps Deutschland GmbH",
    "Kommunal-IT eG", "SecureHost Services GmbH", "Managed Platforms SE", "IT-Betrieb West GmbH",
    "Infrastruktur Partner KG",
]
PEOPLE = [
    "Dr. Anna Schmidt", "Jonas Weber", "Miriam Özdemir", "Peter Hoffmann", "Sophie Wagner",
    "Lukas Becker", "Elif Yilmaz", "Thomas Richter", "Nina Krause", "Markus Wolf",
]
LEVELS = ["normal", "high", "very_high"]
FLAGS = ["personal_data", "network_coupling", "software", "migration", "shared_platform"]


def vary(base: dict, i: int, rng: random.Random, same_clauses: bool = False) -> dict:
    p = json.loads(json.dumps(base))
    city = rng.choice(CITIES)
    name_pattern, address_pattern = rng.choice(CLIENTS)
    p["client"]["name"] = name_pattern.format(city)
    p["client"]["address"] = address_pattern.format(
        n=rng.randint(1, 120), zip=rng.randint(10000, 99999), city=city
    )
    p["provider"]["name"] = rng.choice(PROVIDERS)
    officer = p["client"].get("security_officer") or {}
    officer["name"] = rng.choice(PEOPLE)
    officer.setdefault("role", "Informationssicherheitsbeauftragte")
    p["client"]["security_officer"] = officer
    annex = p["annex"]
    annex["id"] = f"{annex['id']}-{i:05d}"
    annex["number"] = str(rng.randint(1, 12))
    annex["date"] = f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if same_clauses:
        levels = p.get("service_levels", {})
        if "staff_min" in levels:
            levels["staff_min"] = rng.randint(2, 12)
        if "storage_gb" in levels:
            levels["storage_gb"] = rng.choice([500, 1000, 2000, 5000, 10000, 40000])
        if "security_incident_notice_hours" in levels:
            levels["security_incident_notice_hours"] = rng.choice([1, 2, 4])
        p["security_concept"] = dict(p.get("security_concept", {}), due_days=rng.choice([30, 45, 60, 90]))
        return p
    if rng.random() < 0.3:
        annex["language"] = "de" if annex.get("language", "de") == "en" else "en"
    for value in ("confidentiality", "integrity", "availability"):
        level = LEVELS.index(p["protection"][value])
        p["protection"][value] = LEVELS[max(0, min(2, level + rng.choice([-1, 0, 0, 1])))]
    # At another level the example's own figures may contradict the level's defaults (an RPO
    # of 15 minutes against 4-hourly backups) or fall short of them: the project then takes
    # the new level's defaults, as a contract manager re-levelling a project would.
    if p["protection"] != base["protection"]:
        keep = ("compute", "storage_gb", "staff_min", "site_distance_km")
        p["service_levels"] = {
            k: v for k, v in p.get("service_levels", {}).items() if k in keep
        }
        p.pop("accepted_deviations", None)
    for flag in FLAGS:
        if rng.random() < 0.25:
            p["service"][flag] = not p["service"].get(flag, False)
    # Personal data come with the categories Art. 28(3) GDPR needs, and only with them.
    service = p["service"]
    if service["personal_data"]:
        service.setdefault("data_subjects", ["Beschäftigte", "Kundinnen und Kunden"])
        service.setdefault("data_categories", ["Stamm- und Kontaktdaten"])
    else:
        for key in ("data_subjects", "data_categories", "special_categories"):
            service.pop(key, None)
    return p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("dir", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--broken", type=int, default=0)
    parser.add_argument("--same-clauses", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bases = [json.loads(path.read_text(encoding="utf-8")) for path in EXAMPLES]
    args.dir.mkdir(parents=True, exist_ok=True)
    for i in range(args.n):
        project = vary(bases[i % len(bases)], i, rng, args.same_clauses)
        path = args.dir / f"{project['annex']['id']}.json"
        path.write_text(json.dumps(project, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for k in range(args.broken):
        project = vary(bases[k % len(bases)], args.n + k, rng)
        path = args.dir / f"broken-{k + 1}.json"
        if k % 2 == 0:
            text = json.dumps(project, ensure_ascii=False, indent=2)
            text = text.replace('"service":', '"service"', 1)
        else:
            project["service_levels"]["rto_hours"] = 48
            project["service_levels"]["max_downtime_hours"] = 4
            text = json.dumps(project, ensure_ascii=False, indent=2)
        path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
