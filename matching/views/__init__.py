"""Views of the matching workflow, in two modules: `staff` for the matching officers
(ranking, shortlists, weights) and `company` for company HR (pseudonymised cards)."""
