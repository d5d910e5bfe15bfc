"""Deterministic synthetic investigations in the dataset's format, for benchmarks and scale tests.

`write_dataset(folder, n_statements, seed)` writes `data/statements.csv`, `data/datapackage.json`
and `seeds/*.txt` so that every quote is verbatim in its synthetic source. About one entity per ten
statements; realistic mixes of date precision, certainty, statement types and sides.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

from dashboard.dataset.schema import BUNDLED_DATA, bundled_schema
from dashboard.names import fold, one_edit_apart


def _words(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(text.split(sep))


FIRST = _words(
    "Ana Luis Carmen José Marta Raúl Sofía Andrés Lucía Tomás Elena Jorge Inés Pablo Rosa Diego Clara "
    "Hugo Irene Mateo Julia Bruno Alba Óscar Nuria Iván Paula Félix Noemí Gael Olga Ramón Celia Saúl Vera "
    "Joel Aitana Rubén Estela Teodoro Camila Emilio Dafne Gustavo Ximena Leonel Mireya Octavio Yolanda "
    "Zacarías"
)
LAST = _words(
    "Pérez Gómez Ibáñez Salazar Quintero Valdés Montoya Carrasco Benítez Lozano Ferrer Aguilar Navarro "
    "Cifuentes Villalobos Escobar Arriaga Bustamante Ocampo Zamora Paredes Robledo Sandoval Treviño "
    "Urrutia Echeverría Galindo Hinojosa Izquierdo Jaramillo Larrañaga Mendívil Núñez Olmedo Pacheco "
    "Quiroga Rentería Solórzano Tapia Uribe Vázquez Ybarra Zúñiga Alcántara Barrios Cervantes Durán "
    "Espinosa"
)
ORG_WORDS = _words(
    "Ministry Bureau Agency Council Tribunal Office Commission Directorate Institute Authority Service Unit"
)
ORG_TOPICS = _words(
    "Security Justice Finance Interior Customs Migration Prisons Defence Energy Health Transport Trade "
    "Intelligence Borders Elections Ports Tax Water Mining Labour"
)
PLACES = _words(
    "Puerto Alto|Santa Lucía|San Ramón|Villa Nueva|Costa Brava|Río Claro|Monte Verde|La Esperanza|El"
    " Carmen|Los Álamos|Punta Sur|Valle Hondo",
    sep="|",
)
RELATIONS = {
    "deal": ("agreed a transfer with", "promised support to", "asked for the return of", "negotiated with"),
    "gang_talks": ("held secret talks with", "met privately with"),
    "charge": ("charged", "indicted"),
    "court": ("asked the court to dismiss the case against", "ruled against", "appealed a ruling on"),
    "investigation": ("opened an inquiry into", "investigated"),
    "custody": ("transferred to", "released", "detained", "extradited"),
    "cooperation": ("gave evidence to", "cooperated with", "informed on"),
    "response": ("criticised", "defended", "praised"),
    "policy": ("pressed for action by", "announced a plan with"),
    "other": ("met", "wrote to"),
}
STATUSES = ("In custody; held abroad", "Released; on bail", "Deported; to home country", "In custody; trial pending")


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str
    side: str
    role: str = ""


def _people_names(count: int, rng: random.Random) -> list[str]:
    combos = [f"{f} {m} {last}" for f in FIRST for m in LAST[::3] for last in LAST]
    rng.shuffle(combos)
    chosen, seen = [], set()
    for name in combos:
        key = fold(name)
        if key not in seen:
            seen.add(key)
            chosen.append(name)
        if len(chosen) == count:
            break
    # Synthetic names must not look like typos of each other, or the check would flag them.
    clash = {b for _, b in one_edit_apart(chosen)}
    return [n for n in chosen if n not in clash]


def entities(n_statements: int, rng: random.Random) -> list[Entity]:
    """About one entity per ten statements: 70% people, 15% organizations, 10% groups, 5% places."""
    sides = [s for s in bundled_schema().enum("side")]
    count = max(12, n_statements // 10)
    people = _people_names(int(count * 0.7) + 10, rng)
    out: list[Entity] = []
    for i in range(count):
        share = i / count
        side = sides[rng.randrange(len(sides) - 1)]  # "Other" is for places
        if share < 0.70 and people:
            out.append(Entity(people.pop(), "person", side, rng.choice(("official", "spokesman", "defendant"))))
        elif share < 0.85:
            out.append(Entity(f"{rng.choice(ORG_WORDS)} of {rng.choice(ORG_TOPICS)} {i:05d}", "organization", side))
        elif share < 0.95:
            out.append(Entity(f"[Group {i:05d}]", "group", side))
        else:
            out.append(Entity(f"{PLACES[i % len(PLACES)]} district {i:05d}", "place", "Other"))
    return out


def _date(rng: random.Random) -> tuple[str, str]:
    """A date at a random precision, and a note when it is inferred."""
    roll = rng.random()
    year = rng.randint(2015, 2025)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if roll < 0.30:
        return "", ""
    text = f"{year}" if roll < 0.45 else f"{year}-{month:02d}" if roll < 0.60 else f"{year}-{month:02d}-{day:02d}"
    note = "Year inferred from the surrounding paragraphs." if rng.random() < 0.2 else ""
    return text, note


def generate(n_statements: int, seed: int = 42) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows and source documents (name -> text). The same arguments always give the same output."""
    rng = random.Random(seed)
    cast = entities(n_statements, rng)
    groups = [e for e in cast if e.kind == "group"]
    people = [e for e in cast if e.kind == "person"]
    columns = bundled_schema().columns
    rows: list[dict[str, str]] = []
    documents: dict[str, list[str]] = {}
    per_document = 400

    def add(**cells: str) -> None:
        index = len(rows)
        source = f"synthetic-{index // per_document:04d}.txt"
        quote = cells.pop("quote")
        documents.setdefault(source, []).append(quote)
        row = {column: "" for column in columns}
        row.update(id=f"x{index + 1:06d}", source=source, quote=quote, **cells)
        rows.append(row)

    for entity in cast:  # one profile row per entity, giving kind, side and role
        role = f"the {entity.role}" if entity.role else "named in the file"
        add(statement_type="profile", subject=entity.name, relation="is", relation_type="affiliation",
            summary=f"{entity.name} is {role}.", quote=f"{entity.name}, {role}, appears in the records.",
            attribution="The article", certainty="stated", kind=entity.kind, side=entity.side,
            role=entity.role)  # fmt: skip
    for group in groups:  # each group has about nine members, like the nine requested men
        for member in rng.sample(people, k=min(9, len(people))):
            add(statement_type="profile", subject=member.name, relation="is one of", object=group.name,
                relation_type="affiliation", summary=f"{member.name} is one of {group.name}.",
                quote=f"Records list {member.name} as one of {group.name}.", attribution="records",
                certainty=rng.choice(("stated", "stated", "inferred")),
                note="Inferred from the list of names in the records.")  # fmt: skip
    while len(rows) < n_statements:
        relation_type = rng.choice(list(RELATIONS))
        subject, obj = rng.choice(cast), rng.choice(cast) if rng.random() < 0.75 else None
        if obj is subject:
            obj = None
        relation = rng.choice(RELATIONS[relation_type])
        date, note = _date(rng)
        certainty = rng.choices(("stated", "alleged", "denied", "inferred"), weights=(65, 20, 5, 10))[0]
        who = rng.choice(("officials said", "prosecutors allege", "the spokesman said", "records show"))
        if who == "officials said" and certainty == "stated":
            certainty = "alleged"  # the certainty rubric: what unnamed officials say is not a stated fact
        target = f" {obj.name}" if obj else ""
        when = f" in {date}" if date else ""
        quote = f"{subject.name} {relation}{target}{when}, {who} (record {len(rows) + 1})."
        status = rng.choice(STATUSES) if relation_type == "custody" and rng.random() < 0.5 else ""
        add(statement_type=rng.choices(("event", "remark"), weights=(75, 25))[0], date=date, date_note=note,
            subject=subject.name, relation=relation, object=obj.name if obj else "", relation_type=relation_type,
            summary=f"{subject.name} {relation}{target}{when}.", quote=quote, attribution=who, certainty=certainty,
            note="Drawn from the context of the record." if certainty == "inferred" else "",
            label=f"Key moment {len(rows) + 1}" if rng.random() < 0.005 else "", status=status)  # fmt: skip
    return rows[:n_statements], {name: "\n".join(lines) + "\n" for name, lines in documents.items()}


def write_dataset(folder: Path, n_statements: int, seed: int = 42) -> Path:
    """Write a synthetic dataset under `folder` (data/ and seeds/); returns the CSV path."""
    rows, documents = generate(n_statements, seed)
    data, seeds = folder / "data", folder / "seeds"
    data.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        (seeds / name).write_text(text, encoding="utf-8")
    package = json.loads((BUNDLED_DATA.parent / "datapackage.json").read_text(encoding="utf-8"))
    package.update(
        name=f"synthetic-{n_statements}",
        title=f"Synthetic investigation ({n_statements:,} statements)",
        description="Generated for benchmarks: names, events and sources are invented and describe no one.",
        sources=[{"title": "Synthetic source documents"}],
    )
    (data / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    path = data / "statements.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(bundled_schema().columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
