"""Stillbirths: the medical certificate of stillbirth sent by doctors and midwives, the parent's
registration of the stillbirth in the register of still-births, the certificates the parents
receive, and the rule that copies of the entry go only to the parents and the register office."""
