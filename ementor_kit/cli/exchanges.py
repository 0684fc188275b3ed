"""The ``import-exchanges`` command: the exchange log from chat, e-mail and meeting exports."""

from __future__ import annotations

import argparse

from ementor_kit.cli._common import _say, _steps, _Sub, _write_csv
from ementor_kit.data.validation import read_programme
from ementor_kit.exchanges import import_exchanges
from ementor_kit.i18n.language import N_
from ementor_kit.provenance import provenance_hash


def _cmd_import_exchanges(args: argparse.Namespace) -> int:
    with _steps(args, 3) as step:
        step("read")
        programme = read_programme(args.folder)
        step(f"import {len(args.sources)} export(s)")
        dayfirst = True if args.dayfirst else False if args.monthfirst else None
        result = import_exchanges(
            args.sources,
            programme,
            format=args.format,
            channel=args.channel,
            timezone=args.timezone,
            aliases=args.aliases,
            dayfirst=dayfirst,
        )
        step("write")
        log = result.log.assign(
            timestamp=result.log["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        )
        settings = f"format {args.format}; timezone {args.timezone}; channel {args.channel}"
        _write_csv(
            log,
            args.out,
            "import-exchanges",
            provenance_hash({"interactions": result.log}, settings),
            [f"{result.counts['read']} messages read"],
        )
    _say(result.report)
    return 0


def _add_import_exchanges(sub: _Sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import-exchanges",
        parents=[common],
        help=N_("the exchange log from WhatsApp, e-mail, Slack, Teams, Zoom and Meet exports"),
        description=N_(
            "Read chat, e-mail and video-meeting exports (WhatsApp, mbox/.eml, Slack "
            "workspace exports, Teams chat messages and attendance reports, Zoom, Meet, a CSV log) "
            "into interactions.csv, people resolved through the programme's declared contacts; "
            "message contents, names and numbers are never written. The import report and the "
            "progress bar go to stderr. Calendar files (.ics) hold planned sessions and are not "
            "read here."
        ),
    )
    p.add_argument("folder", help=N_("programme folder (its people are the contacts)"))
    p.add_argument(
        "sources",
        nargs="+",
        help=N_(
            "export files or folders (.txt, .zip, .mbox, .eml, .json, .csv; a Slack export's "
            "folder)"
        ),
    )
    p.add_argument("--out", required=True, help=N_("interactions.csv to write"))
    p.add_argument("--timezone", help=N_("IANA zone of exports without offsets (Europe/Paris)"))
    p.add_argument(
        "--format",
        choices=(
            "whatsapp",
            "email",
            "slack",
            "teams-chat",
            "teams-attendance",
            "zoom",
            "meet",
        ),
        help=N_("default: detected from each file"),
    )
    p.add_argument("--channel", help=N_("channel of every exchange (default: the format's)"))
    p.add_argument("--aliases", help=N_("CSV with columns alias, person_id"))
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", action="store_true", help=N_("WhatsApp / Teams attendance dates are DD/MM")
    )
    order.add_argument(
        "--monthfirst", action="store_true", help=N_("WhatsApp / Teams attendance dates are MM/DD")
    )
    p.set_defaults(run=_cmd_import_exchanges)
