#!/usr/bin/python3
"""Synthetic patients for the vigie lab (stdlib only, deterministic from a seed).

Identifiers (documented in datasets/lab/README.md):
  NIR  15 chars: sex(1) year(2) month(2) department(2, may be 2A/2B) commune(3) order(3) key(2)
       key = 97 - (N mod 97), N = the first 13 chars read as an integer, 2A -> 19, 2B -> 18.
  IPP  8 digits, site prefix 77:            ^77[0-9]{6}$
  IEP  9 digits, prefix 5 + admission year: ^5[0-9]{2}[0-9]{6}$   (e.g. 524xxxxxx for 2024)

Usage: patients.py csv COUNT SEED        -> CSV on stdout
       patients.py check NIR             -> exit 0 if the key is valid
"""
import random
import sys

LAST = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
        "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
        "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT",
        "MULLER", "LEFEVRE", "FAURE", "ANDRE", "MERCIER", "BLANC", "GUERIN", "BOYER", "GARNIER",
        "CHEVALIER", "FRANCOIS", "LEGRAND", "GAUTHIER", "GARCIA", "PERRIN", "ROBIN", "CLEMENT",
        "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON", "SANTONI", "ALBERTINI"]
FIRST_M = ["JEAN", "PIERRE", "MICHEL", "ANDRE", "PHILIPPE", "LOUIS", "ALAIN", "JACQUES", "BERNARD",
           "MARCEL", "DANIEL", "ROGER", "PAUL", "LUCAS", "HUGO", "THEO", "NATHAN", "ENZO", "ANTOINE"]
FIRST_F = ["MARIE", "JEANNE", "FRANCOISE", "MONIQUE", "CATHERINE", "NATHALIE", "ISABELLE", "SYLVIE",
           "ANNE", "MARTINE", "EMMA", "LEA", "CHLOE", "MANON", "CAMILLE", "INES", "JULIE", "SOPHIE"]
DEPTS = ["75", "69", "13", "33", "31", "59", "67", "44", "35", "06", "34", "2A", "2B", "92", "93",
         "94", "77", "78", "91", "95", "38", "76", "57", "63"]


def nir_number(nir13: str) -> int:
    dept = {"2A": "19", "2B": "18"}.get(nir13[5:7].upper(), nir13[5:7])
    return int(nir13[:5] + dept + nir13[7:13])


def nir_key(nir13: str) -> int:
    return 97 - (nir_number(nir13) % 97)


def nir_valid(nir: str) -> bool:
    nir = nir.replace(" ", "")
    if len(nir) != 15:
        return False
    try:
        return nir_key(nir[:13]) == int(nir[13:])
    except ValueError:
        return False


def patient(rng: random.Random, i: int) -> dict:
    sex = rng.choice("12")
    year = rng.randint(1930, 2023)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    dept = rng.choice(DEPTS)
    nir13 = "%s%02d%02d%s%03d%03d" % (sex, year % 100, month, dept, rng.randint(1, 990), rng.randint(1, 999))
    nir = "%s%02d" % (nir13, nir_key(nir13))
    first = rng.choice(FIRST_M if sex == "1" else FIRST_F)
    return {
        "nir": nir,
        "ipp": "77%06d" % rng.randint(0, 999999),
        "iep": "5%02d%06d" % (rng.choice([23, 24, 25]), rng.randint(0, 999999)),
        "last": rng.choice(LAST),
        "first": first,
        "sex": "M" if sex == "1" else "F",
        "birth": "%04d%02d%02d" % (year, month, day),
    }


def main(argv):
    if len(argv) >= 2 and argv[1] == "csv":
        n, seed = int(argv[2]), int(argv[3])
        rng = random.Random(seed)
        out = sys.stdout
        out.write("nir;ipp;iep;nom;prenom;sexe;date_naissance;service\n")
        services = ["CARDIOLOGIE", "URGENCES", "PNEUMOLOGIE", "ONCOLOGIE", "PEDIATRIE", "REA"]
        for i in range(n):
            p = patient(rng, i)
            assert nir_valid(p["nir"])
            out.write("%s;%s;%s;%s;%s;%s;%s;%s\n" % (p["nir"], p["ipp"], p["iep"], p["last"], p["first"],
                                                     p["sex"], p["birth"], rng.choice(services)))
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return 0 if nir_valid(argv[2]) else 1
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
