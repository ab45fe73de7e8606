"""Deaths after an inquest: coroners' certificates through the API, the registrar's queue and
registering the death from a certificate after inquest, and the family's interim certificate."""
