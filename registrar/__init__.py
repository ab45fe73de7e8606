"""The registration domain: births, deaths and the other register events, the central register,
casework and the exception queue, events and webhooks."""
