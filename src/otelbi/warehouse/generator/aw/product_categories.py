"""DimProductCategory and DimProductSubcategory: the four categories and their 37 subcategories."""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.aw.columns import Columns
from otelbi.warehouse.generator.aw.run import Run

_CATEGORIES = (
    ("Bikes", "Bicicletas", "Vélos"),
    ("Components", "Componentes", "Composants"),
    ("Clothing", "Ropa", "Vêtements"),
    ("Accessories", "Accesorios", "Accessoires"),
)
SUBCATEGORIES = (  # category key, English, Spanish, French, alternate-key prefix
    (1, "Mountain Bikes", "Bicicletas de montaña", "VTT", "BK"),
    (1, "Road Bikes", "Bicicletas de carretera", "Vélos de route", "BK"),
    (1, "Touring Bikes", "Bicicletas de paseo", "Vélos de randonnée", "BK"),
    (2, "Handlebars", "Manillares", "Guidons", "HB"),
    (2, "Bottom Brackets", "Ejes de pedalier", "Boîtiers de pédalier", "BB"),
    (2, "Brakes", "Frenos", "Freins", "BR"),
    (2, "Chains", "Cadenas", "Chaînes", "CH"),
    (2, "Cranksets", "Bielas", "Pédaliers", "CS"),
    (2, "Derailleurs", "Desviadores", "Dérailleurs", "DR"),
    (2, "Forks", "Horquillas", "Fourches", "FK"),
    (2, "Headsets", "Direcciones", "Jeux de direction", "HS"),
    (2, "Mountain Frames", "Cuadros de montaña", "Cadres VTT", "FM"),
    (2, "Pedals", "Pedales", "Pédales", "PD"),
    (2, "Road Frames", "Cuadros de carretera", "Cadres route", "FR"),
    (2, "Saddles", "Sillines", "Selles", "SE"),
    (2, "Touring Frames", "Cuadros de paseo", "Cadres randonnée", "FT"),
    (2, "Wheels", "Ruedas", "Roues", "WH"),
    (3, "Bib-Shorts", "Culotes con tirantes", "Cuissards à bretelles", "BS"),
    (3, "Caps", "Gorras", "Casquettes", "CA"),
    (3, "Gloves", "Guantes", "Gants", "GL"),
    (3, "Jerseys", "Maillots", "Maillots", "JE"),
    (3, "Shorts", "Pantalones cortos", "Shorts", "SH"),
    (3, "Socks", "Calcetines", "Chaussettes", "SO"),
    (3, "Tights", "Mallas", "Collants", "TG"),
    (3, "Vests", "Chalecos", "Gilets", "VE"),
    (4, "Bike Racks", "Portabicicletas", "Porte-vélos", "RA"),
    (4, "Bike Stands", "Soportes de bicicleta", "Pieds d'atelier", "ST"),
    (4, "Bottles and Cages", "Bidones y portabidones", "Bidons et porte-bidons", "BC"),
    (4, "Cleaners", "Limpiadores", "Nettoyants", "CL"),
    (4, "Fenders", "Guardabarros", "Garde-boue", "FE"),
    (4, "Helmets", "Cascos", "Casques", "HL"),
    (4, "Hydration Packs", "Mochilas de hidratación", "Sacs d'hydratation", "HY"),
    (4, "Lights", "Luces", "Éclairages", "LT"),
    (4, "Locks", "Candados", "Antivols", "LK"),
    (4, "Panniers", "Alforjas", "Sacoches", "PA"),
    (4, "Pumps", "Bombas", "Pompes", "PU"),
    (4, "Tires and Tubes", "Cubiertas y cámaras", "Pneus et chambres à air", "TT"),
)


def category_columns(run: Run) -> Columns:
    keys = np.arange(1, len(_CATEGORIES) + 1)
    return {
        "ProductCategoryKey": keys,
        "ProductCategoryAlternateKey": keys,
        "EnglishProductCategoryName": [c[0] for c in _CATEGORIES],
        "SpanishProductCategoryName": [c[1] for c in _CATEGORIES],
        "FrenchProductCategoryName": [c[2] for c in _CATEGORIES],
    }


def subcategory_columns(run: Run) -> Columns:
    keys = np.arange(1, len(SUBCATEGORIES) + 1)
    return {
        "ProductSubcategoryKey": keys,
        "ProductSubcategoryAlternateKey": keys,
        "EnglishProductSubcategoryName": [s[1] for s in SUBCATEGORIES],
        "SpanishProductSubcategoryName": [s[2] for s in SUBCATEGORIES],
        "FrenchProductSubcategoryName": [s[3] for s in SUBCATEGORIES],
        "ProductCategoryKey": [s[0] for s in SUBCATEGORIES],
    }
