"""The programme's own vocabulary: job families, skills, certifications and the ten job
profiles the 2021 survey of member companies found most in demand.

Codes are stable identifiers (imports and other apps refer to them); names can be edited by
the programme office in the portal, and `load_reference` never overwrites an edited name.
"""

# code: (Italian name, English name)
FAMILIES = {
    "produzione": ("Montaggio e produzione", "Assembly and production"),
    "automazione": ("Macchine utensili e automazione", "Machining and automation"),
    "lavorazioni-metalliche": ("Lavorazioni metalliche", "Metalworking"),
    "manutenzione": ("Manutenzione", "Maintenance"),
    "logistica": ("Logistica e magazzino", "Logistics and warehousing"),
    "servizi": ("Pulizie e servizi", "Cleaning and services"),
}

SKILLS = {
    "lettura-disegno-tecnico": ("Lettura del disegno tecnico", "Reading technical drawings"),
    "strumenti-di-misura": (
        "Uso di strumenti di misura (calibro, micrometro)",
        "Using measuring instruments (calliper, micrometer)",
    ),
    "montaggio-meccanico": ("Montaggio meccanico", "Mechanical assembly"),
    "cablaggio-elettrico": ("Cablaggio elettrico", "Electrical wiring"),
    "controllo-qualita": (
        "Controllo qualità visivo e dimensionale",
        "Visual and dimensional quality inspection",
    ),
    "conduzione-isole-robotizzate": ("Conduzione di isole robotizzate", "Operating robotic cells"),
    "programmazione-robot": (
        "Programmazione robot da teach pendant",
        "Robot programming with a teach pendant",
    ),
    "plc-automazione": ("PLC e automazione industriale", "PLCs and industrial automation"),
    "programmazione-cnc": (
        "Programmazione CNC (ISO, Fanuc, Heidenhain)",
        "CNC programming (ISO, Fanuc, Heidenhain)",
    ),
    "attrezzaggio-macchine": ("Attrezzaggio di macchine utensili", "Machine tool set-up"),
    "saldatura-mig-mag": ("Saldatura MIG/MAG", "MIG/MAG welding"),
    "saldatura-tig": ("Saldatura TIG", "TIG welding"),
    "saldatura-elettrodo": ("Saldatura a elettrodo", "Manual metal arc welding"),
    "pulizia-industriale": (
        "Pulizia industriale e uso di lavasciuga",
        "Industrial cleaning and scrubber-dryers",
    ),
    "sanificazione": ("Sanificazione degli ambienti", "Sanitising premises"),
    "gestione-magazzino": (
        "Carico, scarico e inventario di magazzino",
        "Loading, unloading and stocktaking",
    ),
    "preparazione-ordini": ("Preparazione ordini (picking)", "Order picking"),
    "terminali-barcode": ("Uso di terminali barcode e RF", "Barcode and RF terminals"),
    "conduzione-carrello": ("Conduzione del carrello elevatore", "Driving a forklift"),
    "manutenzione-meccanica": (
        "Diagnosi e riparazione meccanica",
        "Mechanical troubleshooting and repair",
    ),
    "oleodinamica-pneumatica": ("Oleodinamica e pneumatica", "Hydraulics and pneumatics"),
    "impianti-elettrici-industriali": (
        "Impianti elettrici industriali",
        "Industrial electrical systems",
    ),
    "stampaggio-iniezione": (
        "Conduzione di presse a iniezione per materie plastiche",
        "Running plastic injection moulding presses",
    ),
}

# code: (Italian name, English name, validity in years or None, reference)
CERTIFICATIONS = {
    "sicurezza-generale": (
        "Formazione sicurezza lavoratori - parte generale",
        "Worker safety training - general part",
        None,
        "Accordo Stato-Regioni 21/12/2011, art. 37 D.Lgs. 81/08",
    ),
    "sicurezza-specifica": (
        "Formazione sicurezza lavoratori - parte specifica",
        "Worker safety training - specific part",
        5,
        "Accordo Stato-Regioni 21/12/2011, art. 37 D.Lgs. 81/08",
    ),
    "patente-b": ("Patente B", "Driving licence B", 10, "D.Lgs. 285/92 (Codice della strada)"),
    "abilitazione-carrelli-elevatori": (
        "Abilitazione alla conduzione di carrelli elevatori",
        "Forklift operator licence",
        5,
        "art. 73 D.Lgs. 81/08, Accordo Stato-Regioni 22/02/2012",
    ),
    "saldatore-en-iso-9606-1": (
        "Qualifica saldatore EN ISO 9606-1",
        "Welder qualification EN ISO 9606-1",
        3,
        "EN ISO 9606-1",
    ),
    "pes-pav": (
        "Qualifica PES/PAV per lavori elettrici",
        "PES/PAV qualification for electrical work",
        5,
        "CEI 11-27, art. 82 D.Lgs. 81/08",
    ),
}

CROSS_CUTTING_CERTIFICATIONS = ("sicurezza-generale", "sicurezza-specifica", "patente-b")

# code: Italian name, English name, ISCO-08, CP2021, family, skills, certifications
PROFILES = {
    "addetto-assemblaggio": {
        "names": ("Addetto assemblaggio/montaggio", "Assembly worker"),
        "isco": "8211, 8219",
        "cp2021": "7.2.7.1.0, 7.2.7.9.0",
        "family": "produzione",
        "skills": [
            "montaggio-meccanico",
            "lettura-disegno-tecnico",
            "strumenti-di-misura",
            "controllo-qualita",
            "cablaggio-elettrico",
        ],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "operatore-robot": {
        "names": ("Operatore robot industriali", "Industrial robot operator"),
        "isco": "3139",
        "cp2021": "7.1.7.1.0",
        "family": "automazione",
        "skills": [
            "conduzione-isole-robotizzate",
            "programmazione-robot",
            "plc-automazione",
            "controllo-qualita",
        ],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "operatore-cnc": {
        "names": ("Conduttore impianti e macchine CNC", "CNC machine operator"),
        "isco": "7223",
        "cp2021": "7.2.1.1.0, 6.2.2.3.1",
        "family": "automazione",
        "skills": [
            "programmazione-cnc",
            "attrezzaggio-macchine",
            "lettura-disegno-tecnico",
            "strumenti-di-misura",
        ],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "addetto-saldatura": {
        "names": ("Addetto saldatura", "Welder"),
        "isco": "7212",
        "cp2021": "6.2.1.2.0, 6.2.1.7.0",
        "family": "lavorazioni-metalliche",
        "skills": [
            "saldatura-mig-mag",
            "saldatura-tig",
            "saldatura-elettrodo",
            "lettura-disegno-tecnico",
        ],
        "certifications": [
            "saldatore-en-iso-9606-1",
            "sicurezza-generale",
            "sicurezza-specifica",
        ],
    },
    "operatore-pulizie": {
        "names": ("Operatore pulizie", "Cleaning operator"),
        "isco": "9112",
        "cp2021": "8.1.4.3.0",
        "family": "servizi",
        "skills": ["pulizia-industriale", "sanificazione"],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "addetto-magazzino": {
        "names": ("Addetto magazzino", "Warehouse worker"),
        "isco": "9333, 4321",
        "cp2021": "4.3.1.2.0, 8.1.3.2.0",
        "family": "logistica",
        "skills": ["gestione-magazzino", "preparazione-ordini", "terminali-barcode"],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "carrellista": {
        "names": ("Carrellista", "Forklift operator"),
        "isco": "8344",
        "cp2021": "7.4.4.4.0",
        "family": "logistica",
        "skills": ["conduzione-carrello", "gestione-magazzino", "terminali-barcode"],
        "certifications": [
            "abilitazione-carrelli-elevatori",
            "sicurezza-generale",
            "sicurezza-specifica",
        ],
    },
    "manutentore-meccanico": {
        "names": ("Manutentore meccanico", "Mechanical maintenance technician"),
        "isco": "7233",
        "cp2021": "6.2.3.3.1",
        "family": "manutenzione",
        "skills": [
            "manutenzione-meccanica",
            "oleodinamica-pneumatica",
            "lettura-disegno-tecnico",
            "strumenti-di-misura",
        ],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
    "elettricista": {
        "names": ("Elettricista/elettromeccanico", "Industrial electrician"),
        "isco": "7411, 7412",
        "cp2021": "6.2.4.1.1, 6.2.4.1.3",
        "family": "manutenzione",
        "skills": ["impianti-elettrici-industriali", "plc-automazione", "cablaggio-elettrico"],
        "certifications": ["pes-pav", "sicurezza-generale", "sicurezza-specifica"],
    },
    "operatore-materie-plastiche": {
        "names": ("Operatore macchine materie plastiche", "Plastics machine operator"),
        "isco": "8142",
        "cp2021": "7.2.3.3.0",
        "family": "produzione",
        "skills": ["stampaggio-iniezione", "attrezzaggio-macchine", "controllo-qualita"],
        "certifications": ["sicurezza-generale", "sicurezza-specifica"],
    },
}
