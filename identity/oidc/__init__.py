"""The OpenID Connect provider: other local services sign people in here and, with their consent,
receive their verified identity. The protocol is django-oauth-toolkit's; this package adds the
service's rules (pairwise subjects, consent, the confidence a service needs, client registration)."""
