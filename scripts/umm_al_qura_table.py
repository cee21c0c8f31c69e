#!/usr/bin/env python3
"""Writes app/src/clinic/domain/umm_al_qura_check.csv: Ramadan, Shawwal and the Day of Arafah
for ten Hijri years, from the hijridate package (PyPI; Umm al-Qura tables of ummulqura.org.sa),
so the holiday rules are checked against a converter that shares no code with ours.

    pip install hijridate==2.6.0 && python3 scripts/umm_al_qura_table.py
"""
from hijridate import Hijri

print("# Umm al-Qura dates for checking the holiday rules, made independently of this code with the")
print("# PyPI package hijridate 2.6.0 (Umm al-Qura tables of ummulqura.org.sa) by")
print("# scripts/umm_al_qura_table.py.")
print("# hijri_year,ramadan_1,ramadan_days,shawwal_1,arafah")
for y in range(1447, 1457):
    print(f"{y},{Hijri(y, 9, 1).to_gregorian()},{Hijri(y, 9, 1).month_length()},"
          f"{Hijri(y, 10, 1).to_gregorian()},{Hijri(y, 12, 9).to_gregorian()}")
