"""Readers: the shared building blocks families are made of, one structure each (an indicator table,
an assessment line with the list under it, a numbered activity list), each configured by its own
validated rules, which `rules/_base.yaml` holds under `readers:` for every family that uses them."""
