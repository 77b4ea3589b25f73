"""Staff who read the reports at /staff/reports: named accounts with scrypt-hashed passwords."""

from bot.staff.accounts import StaffError, add, all_accounts, check, find, remove
from bot.staff.passwords import WeakPassword, hash_password, verify_password

__all__ = [
    "StaffError",
    "WeakPassword",
    "add",
    "all_accounts",
    "check",
    "find",
    "hash_password",
    "remove",
    "verify_password",
]
