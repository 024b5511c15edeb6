"""Operator commands: `python -m app.cli setup | create-admin | rotate-token-key | verify-audit |
rotate-data-key | remove-data-key | rotate-sealing-key | rebuild-trends | retention run`."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from app import migrate, runtime
from app.clock import utc_now
from app.db import unit_of_work
from app.i18n.locales import Locale
from app.i18n.messages import Messages
from app.models import User
from app.services import (
    audit,
    catalogue,
    demo,
    demo_activity,
    fieldcrypt,
    keyring,
    retention_schedule,
    sealing,
    trends,
)
from app.services import retention_run as retention_runs
from app.services.passwords import hash_password, password_problem
from app.settings import Settings, get_settings
from app.views.retention import printout
from app.vocabulary import Role


def setup(args: argparse.Namespace) -> int:
    """Create or migrate the database, make missing keys, check the catalogue files; in demo
    mode add the demo prison and accounts."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url)
    keyring.load(settings.keys_dir / "jwt", utc_now())
    fieldcrypt.load_cipher(settings.keys_dir / "data")
    sealing.load_ring(settings.keys_dir / "sealing", utc_now())
    audit.load_key(settings.keys_dir)
    try:
        with unit_of_work() as db:
            catalogue.register_versions(db, catalogue.catalogues(), utc_now())
    except catalogue.CatalogueError as error:
        print(f"Refusing to start: {error}", file=sys.stderr)
        return 2
    try:
        retention_schedule.load()  # a deployment's own schedule (WINGWATCH_RETENTION_SCHEDULE)
    except retention_schedule.ScheduleError as error:
        print(f"Refusing to start: {error}", file=sys.stderr)
        return 2
    with unit_of_work() as db:
        uncounted = trends.missing(db)
    if uncounted:  # a database from before the trend tables: count what it holds, once
        rebuild_trends(args)
    with unit_of_work() as db:  # a signed head from the start: verify-audit needs one
        audit.write_signed_head(db, settings.audit_head_file, audit.load_key(settings.keys_dir))
    if settings.demo:
        with unit_of_work() as db:
            created = demo.seed(db, utc_now())
        print("Demo data created." if created else "Demo data already present.")
        if args.demo_activity:
            _seed_demo_activity(settings)
    return 0


def _seed_demo_activity(settings: Settings) -> None:
    context = runtime.ingest_context()
    with unit_of_work() as db:
        recorded = demo_activity.seed_activity(db, context, utc_now())
    with unit_of_work() as db:
        audit.write_signed_head(db, settings.audit_head_file, audit.load_key(settings.keys_dir))
    print("Demo activity recorded." if recorded else "Demo activity already present.")


def rebuild_trends(_: argparse.Namespace) -> int:
    """Recount the trend tables from the stored observations and decisions."""
    with unit_of_work() as db:
        counted = trends.rebuild(db, catalogue.catalogues(), runtime.ingest_context().zone)
    print(f"Trends recounted from {counted} observations.")
    return 0


def create_admin(args: argparse.Namespace) -> int:
    """The first admin of a real (non-demo) installation."""
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(
        "Password for the new admin: ")
    if problem := password_problem(password):
        print(problem, file=sys.stderr)
        return 2
    with unit_of_work() as db:
        if db.scalar(select(User).where(User.username == args.username.lower())):
            print(f"User {args.username} already exists.", file=sys.stderr)
            return 2
        admin = User(username=args.username.lower(), display_name=args.name or args.username,
                     role=Role.ADMIN, password_hash=hash_password(password), created_at=utc_now())
        db.add(admin)
        db.flush()
        # No actor: the operator at the server's console made it.
        audit.record_change(db, at=admin.created_at, actor_id=None, change="user.create",
                            subject=admin.id, before=None,
                            after={"username": admin.username, "role": Role.ADMIN.value})
    with unit_of_work() as db:
        audit.write_signed_head(db, get_settings().audit_head_file,
                                audit.load_key(get_settings().keys_dir))
    print(f"Admin {args.username} created.")
    return 0


def rotate_token_key(_: argparse.Namespace) -> int:
    """New signing key for bearer tokens; the old one verifies for the grace period."""
    settings = get_settings()
    kid = keyring.rotate(settings.keys_dir / "jwt", utc_now())
    print(f"New token signing key {kid}; running servers sign with it within seconds. The old "
          "key verifies "
          f"tokens for {settings.token_key_grace_hours} more hours.")
    return 0


def verify_audit(_: argparse.Namespace) -> int:
    """Check the audit log's hash chain and signed head; exit 1 if it was tampered with."""
    settings = get_settings()
    with unit_of_work() as db:
        result = audit.verify(db, audit.load_key(settings.keys_dir), settings.audit_head_file)
    if result.ok:
        print(f"Audit log intact: {result.rows_checked} rows")
        return 0
    where = f" at row {result.first_broken_seq}" if result.first_broken_seq is not None else ""
    print(f"Audit log BROKEN{where}: {result.reason}")
    return 1


def rotate_data_key(_: argparse.Namespace) -> int:
    """New data key for free text, then re-encrypt every stored value under it."""
    if fieldcrypt.keys_from_env():
        # The environment holds the keys: the operator adds one there; we only re-encrypt.
        print(f"Data keys come from {fieldcrypt.ENV_KEYS}; re-encrypting to "
              f"{fieldcrypt.ENV_CURRENT}.")
    else:
        fieldcrypt.rotate(fieldcrypt.default_directory())
    cipher = fieldcrypt.load_cipher()
    with unit_of_work() as db:
        changed = fieldcrypt.reencrypt_all(db, cipher)
        in_use = fieldcrypt.keys_in_use(db)
    print(f"Current data key {cipher.current_kid}; {changed} values re-encrypted; keys in use: "
          f"{', '.join(sorted(in_use)) or 'none'}. Running servers write with the new key within "
          "seconds (keys from the environment: after a restart); wait for that before removing "
          "an old one.")
    return 0


def remove_data_key(args: argparse.Namespace) -> int:
    """Delete an old data key, refused while any stored value still uses it."""
    with unit_of_work() as db:
        in_use = fieldcrypt.keys_in_use(db)
    if args.kid in in_use:
        print(f"Data key {args.kid} is still in use; run rotate-data-key first.", file=sys.stderr)
        return 2
    if fieldcrypt.keys_from_env():
        print(f"No value uses {args.kid}; remove it from {fieldcrypt.ENV_KEYS}.")
        return 0
    try:
        fieldcrypt.remove_key(fieldcrypt.default_directory(), args.kid)
    except fieldcrypt.FieldCryptError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Data key {args.kid} removed.")
    return 0


def rotate_sealing_key(_: argparse.Namespace) -> int:
    """New key for sealing tablet entries; the old one opens entries for the grace period."""
    kid = sealing.rotate(get_settings().keys_dir / "sealing", utc_now())
    print(f"New sealing key {kid}; tablets get it at their next bootstrap. The old key opens "
          f"entries for {get_settings().sealing_key_grace_days} more days.")
    return 0


def retention_run(args: argparse.Namespace) -> int:
    """Erase, anonymise or put up for review what the retention schedule says is due today."""
    try:
        schedule = retention_schedule.load()
    except retention_schedule.ScheduleError as error:
        print(f"Refusing to run: {error}", file=sys.stderr)
        return 2
    settings = get_settings()
    result = retention_runs.run(runtime.transaction, schedule, now=utc_now(), trigger="cli",
                      dry_run=args.dry_run, zone=settings.zone)
    words = Messages(Locale.EN, settings.zone)
    print("\n".join(printout(schedule, result.summary, words, day=words.day(result.day),
                              run_id=result.run_id)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    set_up = commands.add_parser("setup", help=setup.__doc__)
    set_up.add_argument("--demo-activity", action="store_true",
                        help="in demo mode, also record a fortnight of made-up observations "
                             "and screening work (once)")
    set_up.set_defaults(run=setup)
    admin = commands.add_parser("create-admin", help=create_admin.__doc__)
    admin.add_argument("--username", required=True)
    admin.add_argument("--name")
    admin.add_argument("--password-stdin", action="store_true")
    admin.set_defaults(run=create_admin)
    commands.add_parser("rotate-token-key", help=rotate_token_key.__doc__
                        ).set_defaults(run=rotate_token_key)
    commands.add_parser("rotate-data-key", help=rotate_data_key.__doc__
                        ).set_defaults(run=rotate_data_key)
    remove = commands.add_parser("remove-data-key", help=remove_data_key.__doc__)
    remove.add_argument("--kid", required=True)
    remove.set_defaults(run=remove_data_key)
    commands.add_parser("rotate-sealing-key", help=rotate_sealing_key.__doc__
                        ).set_defaults(run=rotate_sealing_key)
    commands.add_parser("rebuild-trends", help=rebuild_trends.__doc__
                        ).set_defaults(run=rebuild_trends)
    commands.add_parser("verify-audit", help=verify_audit.__doc__).set_defaults(run=verify_audit)
    retention = commands.add_parser("retention", help="the retention schedule"
                                    ).add_subparsers(dest="retention_command", required=True)
    run_now = retention.add_parser("run", help=retention_run.__doc__)
    run_now.add_argument("--dry-run", action="store_true",
                         help="list what would be erased, anonymised or put up for review, "
                              "and change nothing")
    run_now.set_defaults(run=retention_run)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
