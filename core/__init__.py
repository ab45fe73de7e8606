"""What every app uses and no app owns: the API error shape, the refusal vocabulary, GOV.UK form
base classes, places, references, the client address, the read-only admin, audit and on-commit
helpers. It imports no app of the service."""
