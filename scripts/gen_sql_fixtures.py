#!/usr/bin/env python3
"""Write the fixtures of MarketLab's SQL spec (Tests/lua/data_sql.lua).

Run from anywhere with any Python 3 (standard library only):

    python3 scripts/gen_sql_fixtures.py

It writes two files into Tests/fixtures:

* `sql_other_tool.db`, a small SQLite database written by Python's sqlite3 module, as
  another tool would leave one: tables whose declared types MarketLab did not choose
  (INT, NUMERIC, BOOL, VARCHAR(20), DATETIME, DOUBLE PRECISION, TINYINT), values that
  break their declared types, a BLOB, a CHECK constraint (so an append can fail midway
  and must roll back) and a view;
* `sql_reference.lua`, churn rate and average monthly charges by contract and internet
  service for customers with tenure above 12 months, computed here with the csv module
  from examples/data/modeldata-wa_churn.csv: the answer MarketLab's to_sql + read_sql
  round trip must give.
"""
import csv
import os
import sqlite3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "fixtures")


def write_database(path):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE scores (customer TEXT NOT NULL, score REAL CHECK (score BETWEEN 0 AND 1));
        INSERT INTO scores VALUES ('A', 0.5), ('B', 0.25);
        CREATE VIEW good_scores AS SELECT * FROM scores WHERE score > 0.3;

        CREATE TABLE legacy (id INT, amount NUMERIC, active BOOL, signup DATE, note VARCHAR(20),
                             stamp DATETIME, ratio DOUBLE PRECISION, flag TINYINT);
        INSERT INTO legacy VALUES
            (1, 10, 1, '2024-01-31', 'first', '2024-01-31 10:00:00', 0.5, 1),
            (2, 12.5, 0, NULL, NULL, NULL, NULL, 0),
            (NULL, NULL, NULL, '1999-12-31', 'third', '2024-02-01 00:00:00', 2, NULL);

        CREATE TABLE messy (n INTEGER, d DATE, b BOOLEAN, payload BLOB, mixed, r INTEGER);
        INSERT INTO messy VALUES
            (1, '2024-01-01', 1, X'00FF', 1, 1),
            ('seven', '2024-02-30', 2, NULL, 'x', 2.5);
    """)
    db.commit()
    db.execute("VACUUM")
    db.close()


def write_reference(path):
    groups = {}
    with open(os.path.join(ROOT, "examples", "data", "modeldata-wa_churn.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if int(row["tenure"]) <= 12:
                continue
            key = (row["contract"], row["internet_service"])
            g = groups.setdefault(key, {"n": 0, "churned": 0, "charges": 0.0})
            g["n"] += 1
            g["churned"] += row["churn"] == "Yes"
            g["charges"] += float(row["monthly_charges"])
    lines = ["-- Written by scripts/gen_sql_fixtures.py from examples/data/modeldata-wa_churn.csv:",
             "-- customers with tenure > 12 by contract and internet service (sorted), their",
             "-- churn rate and average monthly charges.",
             "return {"]
    for (contract, internet), g in sorted(groups.items()):
        lines.append('  { contract = "%s", internet_service = "%s", customers = %d, churn_rate = %.17g, avg_monthly = %.17g },'
                     % (contract, internet, g["n"], g["churned"] / g["n"], g["charges"] / g["n"]))
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    write_database(os.path.join(FIXTURES, "sql_other_tool.db"))
    write_reference(os.path.join(FIXTURES, "sql_reference.lua"))
