"""Re-registration of a birth: the parents' journey online (legitimation, or naming the father or
second parent), the registrar's from a court order or statutory declaration, and the pages and
API for both. The new entry and the mark beside the original are written by `registrar.register`."""
