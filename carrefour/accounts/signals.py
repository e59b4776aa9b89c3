"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent with `user=` inside the deletion transaction, before the account is deleted: apps anonymise what must survive
# (contributions keep their content, lose their author) and erase what must not.
account_deleting = Signal()
