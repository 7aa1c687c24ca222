"""The ``netwerk`` command: serve the workbooks, load the demo, manage sessions and templates.

Everything it prints is in the language of ``--taal`` (or ``NETWERK_LANGUAGE``, default
Dutch). Errors are printed on stderr, without a traceback, with exit code 2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from ._codes import normal_code
from .errors import NetwerkError, TemplateError
from .messages import messages
from .settings import DB_URL, settings
from .store import Store
from .templates import (
    DEFAULT_TEMPLATE,
    LANGUAGES,
    Template,
    builtin_templates,
    load_template,
    template_path,
)

PACKAGE_DIR = Path(__file__).resolve().parent
VOILA_DATA_DIR = PACKAGE_DIR / "share"
DEFAULT_WORKBOOKS = PACKAGE_DIR.parent / "workbooks"
PARTICIPANT_NOTEBOOK = "start.ipynb"
DEFAULT_PORT = 8866


def voila_command(
    workbooks: Path,
    port: int = DEFAULT_PORT,
    host: str = "127.0.0.1",
    token: str | None = None,
    results_worker: bool = True,
) -> list[str]:
    """The Voilà command line that serves the workbooks the way participants need them.

    Voilà runs as :mod:`netwerk_widgets._voila`: Voilà itself, with the page's scripts and
    stylesheets served from memory and most of them in one request, and a results worker
    next to it that computes the group results for every page (``results_worker=False``,
    or ``NETWERK_RESULTS_WORKER=0``: no worker, pages compute them themselves).

    Preheated kernels: Voilà reads ``share/config/voila.json`` in this package, and no other
    ``voila.json`` (not one in the current folder, not one in ``~/.jupyter``). It keeps a pool
    of kernels per notebook that have already run the notebook up to reading the page
    address, so a page opens without waiting for a kernel to start; used kernels are
    replaced one at a time (:mod:`netwerk_widgets._kernels`). ``NETWERK_POOL_SIZE``
    overrides the pool of the participant workbook (50 in ``voila.json``; e.g.
    ``NETWERK_POOL_SIZE=100 make run`` for a group of 100); ``NETWERK_POOL_SIZE=0`` turns
    preheating off.
    """
    import json

    config_dir = VOILA_DATA_DIR / "config"
    command = [
        sys.executable,
        "-m",
        "netwerk_widgets._voila",  # Voilà, page files from memory
        str(workbooks),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--no-browser",
        "--template=netwerk",
        "--show_tracebacks=False",
        "--Voila.port_retries=0",
        # Kernels of pages that were closed are stopped after 15 minutes without a connection
        # (never a connected one: a participant who reads for a while keeps their kernel).
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        # Only images next to the notebooks may be downloaded; never data or templates.
        r"--VoilaConfiguration.file_allowlist=['.*\.(png|jpg|jpeg|gif|svg)$']",
        r"--VoilaConfiguration.file_denylist=['.*\.(db|sqlite|sqlite3|yaml|yml|csv|json)$']",
        # Voilà waits this long for a cell's output after the cell finished (default 4 s).
        # When twenty pages open at once the server is busy, the output comes later, and
        # with 4 s a page would show no workbook at all.
        "--VoilaExecutor.iopub_timeout=60",
        # The kernel is told the scheme a proxy in front used, for the personal link.
        "--VoilaConfiguration.http_header_envs=X-Forwarded-Proto",
        f"--Voila.config_file_paths={config_dir}",
    ]
    if os.name == "posix":
        # Kernels talk to Voilà over Unix sockets in a private folder instead of TCP ports:
        # no other user can reach them, and when many kernels start at once none dies on a
        # port that was taken in the meantime (seen here: one page in twenty got an error).
        command.append("--KernelManager.transport=ipc")
        if sys.platform == "darwin":  # keep the socket paths under macOS's 104 characters
            command.append("--Voila.connection_dir_root=/tmp")
    if not results_worker:
        command.append("--NetwerkVoila.results_worker=False")
    pool_size = settings().pool_size  # NETWERK_POOL_SIZE; a wrong value is a NetwerkError
    # A preheated kernel asks Voilà for its page's address on 127.0.0.1 unless told otherwise.
    app_ip = "" if host in ("127.0.0.1", "localhost", "0.0.0.0", "::", "") else host
    if pool_size == 0:
        command.append("--VoilaConfiguration.preheat_kernel=False")
    elif pool_size is not None or app_ip:
        config = json.loads((config_dir / "voila.json").read_text(encoding="utf-8"))
        pools = config["VoilaKernelManager"]["kernel_pools_config"]
        if pool_size is not None:
            pools[PARTICIPANT_NOTEBOOK] = {
                **pools[PARTICIPANT_NOTEBOOK],
                "pool_size": pool_size,
            }
        if app_ip:
            ip = f"[{app_ip}]" if ":" in app_ip else app_ip
            for name, pool in pools.items():
                pools[name] = {**pool, "kernel_env_variables": {"VOILA_APP_IP": ip}}
        command.append(f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}")
        # A whole dict on the command line works, but traitlets warns that it is old style.
        command[1:1] = ["-W", "ignore:--kernel_pools_config:DeprecationWarning"]
    if token:
        command.append(f"--token={token}")
    return command


def voila_environment(store_url: str | None = None) -> dict[str, str]:
    """The environment for Voilà: our page template on the Jupyter path, the store URL."""
    env = dict(os.environ)
    paths = [str(VOILA_DATA_DIR), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    if store_url:
        env[DB_URL] = store_url
    return env


def participant_link(base_url: str, session: str) -> str:
    """The link participants open to join a session."""
    return f"{base_url.rstrip('/')}/voila/render/{PARTICIPANT_NOTEBOOK}?sessie={session}"


def cmd_serve(args: argparse.Namespace) -> int:
    m = messages(args.language)
    command = voila_command(
        Path(args.workbooks), args.port, args.host, args.token, results_worker=args.worker
    )
    print(m("cli.serve.running", url=f"http://{args.host}:{args.port}/"))
    if "--VoilaConfiguration.preheat_kernel=False" not in command:
        print(m("cli.serve.preheating"), flush=True)
    env = voila_environment(args.db)
    os.execve(sys.executable, command, env)
    return 0  # not reached


def cmd_worker(args: argparse.Namespace) -> int:
    from .worker import main as worker_main

    options = [f"--db={args.db}"] if args.db else []
    if args.name:
        options.append(f"--name={args.name}")
    if args.interval is not None:
        options.append(f"--interval={args.interval}")
    return worker_main(options)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import DEMO_DIR, load_demo

    m = messages(args.language)
    with Store(args.db) as store:
        for session in load_demo(store, args.file or DEMO_DIR):
            print(m("cli.demo.ready", title=session.title, store=repr(store)))
            print(m("cli.session.line_code", code=session.code))
            print(m("cli.session.line_link", link=participant_link(args.base_url, session.code)))
    return 0


def cmd_session_create(args: argparse.Namespace) -> int:
    from .sessions import start_session

    m = messages(args.language)
    if args.qr:
        from .trainer.join import check_qr_path

        check_qr_path(args.qr, args.language)  # before the session is made
    with Store(args.db) as store:  # the template is checked before anything is stored
        session, template = start_session(
            store, args.template, args.title, code=args.code, network=args.network
        )
    print(m("cli.session.created", title=session.title))
    print(m("cli.session.line_code", code=session.code))
    print(m("cli.session.line_template", name=template.name, version=template.version))
    print(m("cli.session.line_link", link=participant_link(args.base_url, session.code)))
    print(m("cli.session.line_key", key=session.trainer_key))
    if args.qr:
        from .trainer.join import write_qr

        written = write_qr(participant_link(args.base_url, session.code), args.qr, args.language)
        print(m("workshop.cli.qr_line", path=written))
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    m = messages(args.language)
    with Store(args.db) as store:
        sessions = store.sessions()
        if not sessions:
            print(m("cli.session.none"))
        for session in sessions:
            state = m("cli.session.closed" if session.closed else "cli.session.open")
            count = len(store.participants(session.code))
            code = session.code if session.code == normal_code(session.code) else None
            shown = code or f"{session.code!r} {m('store_check.bad_code_listed')}"
            print(m("cli.session.row", code=shown, state=state, n=count, title=session.title))
    return 0


def cmd_session_delete(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        session = store.delete_session(args.code, args.key)
    print(messages(args.language)("store_check.deleted_done", code=session.code))
    return 0


def cmd_session_purge(args: argparse.Namespace) -> int:
    m = messages(args.language)
    with Store(args.db) as store:
        session = store.check_trainer_key(args.code, args.key)
        if not args.yes:
            count = len(store.participants(session.code))
            prompt = m(
                "store_check.purge_confirm",
                code=session.code,
                title=session.title,
                participants=count,
            )
            try:
                typed = input(prompt)
            except EOFError:
                typed = ""
            if normal_code(typed) != session.code:
                print(m("store_check.purge_refused", code=session.code), file=sys.stderr)
                return 1
        store.purge_session(session.code, args.key)
    print(m("store_check.purged", code=session.code))
    return 0


def cmd_session_state(args: argparse.Namespace) -> int:
    close = args.action == "close"
    with Store(args.db) as store:
        session = store.check_trainer_key(args.code, args.key)
        store.set_closed(session.code, close)
    m = messages(args.language)
    print(m("cli.session.now_closed" if close else "cli.session.now_open", code=session.code))
    return 0


def cmd_template_validate(args: argparse.Namespace) -> int:
    from .templates import check_template

    m = messages(args.language)
    failed = 0
    for name in args.files:
        path = template_path(name)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raw = None
        checked = check_template(raw, str(path), args.language) if raw is not None else None
        problems = _unreadable(path) if checked is None else checked[1]
        if problems:
            for problem in problems:
                text = m("cli.template.problem", problem=problem.text(args.language))
                print(text, file=sys.stderr)
            failed += 1
            continue
        template = load_template(path)
        print(
            m(
                "cli.template.valid",
                name=name,
                title=template.name,
                version=template.version,
                blocks=len(template.blocks),
                questions=sum(len(b.questions) for b in template.blocks),
            )
        )
    return 2 if failed else 0


def _unreadable(path: Path) -> list[NetwerkError]:
    """The message ``load_template`` gives for a file it can not read."""
    try:
        load_template(path)
    except NetwerkError as exc:
        return [exc]
    return []


def cmd_template_copy(args: argparse.Namespace) -> int:
    source = template_path(args.source)
    load_template(source)
    destination = Path(args.destination)
    if destination.exists() and not args.force:
        raise NetwerkError(key="errors.exists", path=destination)
    shutil.copyfile(source, destination)
    print(messages(args.language)("cli.template.copied", path=destination))
    return 0


def cmd_template_list(args: argparse.Namespace) -> int:
    from .templates import own_template_files

    m = messages(args.language)
    print(m("designer.list.builtin"))
    for name in builtin_templates():
        print(_template_line(name, load_template(name), args.language))
    folder = settings().templates_dir
    print(m("designer.list.own", folder=folder, variable="NETWERK_TEMPLATES_DIR"))
    files = own_template_files(folder)
    if not files:
        print("  " + m("designer.list.none"))
    for path in files:
        try:
            template = load_template(path)
        except NetwerkError as exc:
            problem = exc.problem if isinstance(exc, TemplateError) else exc.text(args.language)
            where = f"{exc.field}: " if isinstance(exc, TemplateError) and exc.field else ""
            print(f"  {path.name}  " + m("designer.list.broken", problem=where + problem))
            continue
        print(_template_line(path.name, template, args.language))
    return 0


def _template_line(name: str, template: Template, language: str) -> str:
    """One template in ``netwerk template list``: name, version, language, blocks, title;
    then who made it, its licence and description, when it says."""
    m = messages(language)
    line = "  " + m(
        "designer.list.line",
        name=name,
        version=template.version,
        language=template.language,
        blocks=len(template.blocks),
        title=template.t(template.title),
    )
    about = [m("designer.list.author", author=template.author)] if template.author else []
    if template.license:
        about.append(m("designer.list.license", license=template.license))
    if about:
        line += "\n      " + " · ".join(about)
    if template.description is not None:
        line += "\n      " + " ".join(template.t(template.description).split())
    return line


def cmd_template_diff(args: argparse.Namespace) -> int:
    from .templates import describe_change, diff_templates

    m = messages(args.language)
    old, new = load_template(args.old), load_template(args.new)
    changes = diff_templates(old, new)
    print(
        m(
            "designer.diff.heading",
            old=args.old,
            old_version=old.version,
            new=args.new,
            new_version=new.version,
            n=len(changes),
        )
    )
    if not changes:
        print("  " + m("designer.diff.none"))
    for change in changes:
        print("  " + describe_change(change, args.language))
    return 0


def _step(step: int, steps: int, text: str) -> None:
    """A progress line on stderr, e.g. ``[2/7] Ambities…``."""
    print(f"[{step}/{steps}] {text}…", file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ANSWER_FORMATS, NETWORK_FORMATS, check_suffix

    m = messages(args.language)
    everything = [code.lower() for code in args.sessions] == ["all"]
    if not everything and "all" in (code.lower() for code in args.sessions):
        raise NetwerkError(key="errors.all_alone")
    if args.network and (everything or len(args.sessions) != 1):
        raise NetwerkError(key="errors.network_one")
    check_suffix(args.out, ANSWER_FORMATS)
    if args.network:
        check_suffix(args.network, NETWORK_FORMATS)
    from .export import export_answers, export_network

    steps = 2 if args.network else 1
    which = m("cli.export.everything") if everything else ", ".join(args.sessions)
    _step(1, steps, m("cli.export.step_answers", which=which, path=args.out))
    with Store(args.db) as store:
        sessions = None if everything else args.sessions
        path = export_answers(args.out, sessions, store=store, history=args.history)
        print(m("cli.export.answers_written", path=path))
        if args.network:
            _step(2, steps, m("cli.export.step_network", code=args.sessions[0], path=args.network))
            path = export_network(args.network, args.sessions[0], store=store)
            print(m("cli.export.network_written", path=path))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .export import check_suffix
    from .report import REPORT_FORMATS, write_report

    m = messages(args.language)
    pdf = check_suffix(args.out, REPORT_FORMATS) == ".pdf"
    with Store(args.db) as store:
        path = write_report(args.out, args.session, store=store, progress=_step)
    print(m("cli.report.pdf_written" if pdf else "cli.report.html_written", path=path))
    return 0


def build_parser(language: str = "nl") -> argparse.ArgumentParser:
    """The ``netwerk`` command line, its help texts in ``language``."""
    m = messages(language)
    parser = argparse.ArgumentParser(prog="netwerk", description=m("cli.description"))
    parser.add_argument(
        "--taal",
        "--lang",
        dest="language",
        choices=LANGUAGES,
        default=language,
        help=m("cli.language"),
    )
    parser.add_argument("--db", default=None, help=m("cli.db"))
    parser.add_argument(
        "--base-url", default=f"http://localhost:{DEFAULT_PORT}", help=m("cli.base_url")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar=m("cli.command"))

    serve = commands.add_parser("serve", help=m("cli.serve.help"))
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=m("cli.serve.port"))
    serve.add_argument("--host", default="127.0.0.1", help=m("cli.serve.host"))
    serve.add_argument("--token", default=None, help=m("cli.serve.token"))
    serve.add_argument("--workbooks", default=str(DEFAULT_WORKBOOKS), help=m("cli.serve.workbooks"))
    serve.add_argument(
        "--no-worker", dest="worker", action="store_false", help=m("cli.serve.no_worker")
    )
    serve.set_defaults(run=cmd_serve)

    worker = commands.add_parser(
        "worker", help=m("cli.worker.help"), description=m("cli.worker.description")
    )
    worker.add_argument("--name", default=None, help=m("cli.worker.name"))
    worker.add_argument("--interval", type=float, default=None, help=m("cli.worker.interval"))
    worker.set_defaults(run=cmd_worker)

    demo = commands.add_parser("demo", help=m("cli.demo.help"))
    demo.add_argument("--file", default=None, help=m("cli.demo.file"))
    demo.set_defaults(run=cmd_demo)

    session = commands.add_parser("session", help=m("cli.session.help"))
    session_commands = session.add_subparsers(dest="action", required=True, metavar=m("cli.action"))
    create = session_commands.add_parser("create", help=m("cli.session.create"))
    create.add_argument("title", help=m("cli.session.title"))
    create.add_argument("--template", default=DEFAULT_TEMPLATE, help=m("cli.session.template"))
    create.add_argument("--code", default=None, help=m("cli.session.code"))
    create.add_argument("--network", default=None, help=m("cli.session.network"))
    create.add_argument(
        "--qr", default=None, metavar=m("workshop.cli.qr_file"), help=m("workshop.cli.qr_help")
    )
    create.set_defaults(run=cmd_session_create)
    listing = session_commands.add_parser("list", help=m("cli.session.list"))
    listing.set_defaults(run=cmd_session_list)
    for action in ("close", "reopen"):
        sub = session_commands.add_parser(action, help=m(f"cli.session.{action}"))
        sub.add_argument("code", help=m("cli.session.code_argument"))
        sub.add_argument("--key", required=True, help=m("cli.session.key"))
        sub.set_defaults(run=cmd_session_state, action=action)
    for action, run in (("delete", cmd_session_delete), ("purge", cmd_session_purge)):
        sub = session_commands.add_parser(action, help=m(f"store_check.cli_{action}"))
        sub.add_argument("code", help=m("cli.session.code_argument"))
        sub.add_argument("--key", required=True, help=m("cli.session.key"))
        if action == "purge":
            sub.add_argument("--yes", action="store_true", help=m("store_check.cli_yes"))
        sub.set_defaults(run=run)

    template = commands.add_parser("template", help=m("cli.template.help"))
    template_commands = template.add_subparsers(
        dest="action", required=True, metavar=m("cli.action")
    )
    validate = template_commands.add_parser("validate", help=m("cli.template.validate"))
    validate.add_argument("files", nargs="+", help=m("cli.template.files"))
    validate.set_defaults(run=cmd_template_validate)
    copy = template_commands.add_parser("copy", help=m("cli.template.copy"))
    copy.add_argument("destination", help=m("cli.template.destination"))
    copy.add_argument("--source", default=DEFAULT_TEMPLATE, help=m("cli.template.source"))
    copy.add_argument("--force", action="store_true", help=m("cli.template.force"))
    copy.set_defaults(run=cmd_template_copy)
    template_commands.add_parser(
        "list", help=m("cli.template.list"), description=m("cli.template.list_description")
    ).set_defaults(run=cmd_template_list)
    diff = template_commands.add_parser(
        "diff", help=m("cli.template.diff"), description=m("cli.template.diff_description")
    )
    diff.add_argument("old", metavar=m("cli.template.old"), help=m("cli.template.old_help"))
    diff.add_argument("new", metavar=m("cli.template.new"), help=m("cli.template.new_help"))
    diff.set_defaults(run=cmd_template_diff)

    export = commands.add_parser(
        "export", help=m("cli.export.help"), description=m("cli.export.description")
    )
    export.add_argument(
        "sessions", nargs="+", metavar=m("cli.export.sessions"), help=m("cli.export.sessions_help")
    )
    export.add_argument(
        "--out", required=True, metavar=m("cli.export.file"), help=m("cli.export.out")
    )
    export.add_argument("--history", action="store_true", help=m("cli.export.history"))
    export.add_argument(
        "--network", default=None, metavar=m("cli.export.file"), help=m("cli.export.network")
    )
    export.set_defaults(run=cmd_export)

    report = commands.add_parser(
        "report", help=m("cli.report.help"), description=m("cli.report.description")
    )
    report.add_argument("session", metavar=m("cli.export.sessions"), help=m("cli.report.session"))
    report.add_argument(
        "--out", required=True, metavar=m("cli.export.file"), help=m("cli.report.out")
    )
    report.set_defaults(run=cmd_report)
    return parser


def cli_language(argv: Sequence[str]) -> str:
    """The language of the command line: ``--taal``/``--lang`` in ``argv``, else the setting.

    Read before the parser is built, so that its help texts are in that language too.
    """
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--taal", "--lang", dest="language", default=None)
    known, _rest = early.parse_known_args(argv)
    return known.language if known.language in LANGUAGES else settings().language


VALUE_OPTIONS = ("--key",)
"""Options whose value may start with ``-`` (a trainer key made before keys avoided it)."""


def _joined_values(argv: list[str]) -> list[str]:
    """``--key -Z4q`` as ``--key=-Z4q``: argparse would take ``-Z4q`` for an option."""
    joined: list[str] = []
    values = iter(argv)
    for arg in values:
        if arg in VALUE_OPTIONS:
            value = next(values, None)
            joined.append(arg if value is None else f"{arg}={value}")
        else:
            joined.append(arg)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    argv = _joined_values(sys.argv[1:] if argv is None else list(argv))
    language = "nl"
    try:
        language = cli_language(argv)
        args = build_parser(language).parse_args(argv)
        return args.run(args)
    except NetwerkError as exc:
        print(messages(language)("cli.error", problem=exc.text(language)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
