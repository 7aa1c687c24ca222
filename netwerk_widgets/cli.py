"""The ``netwerk`` command: serve the workbooks, load the demo, manage sessions and templates.

Errors are printed in Dutch on stderr, without a traceback, with exit code 2.
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
    command = voila_command(
        Path(args.workbooks), args.port, args.host, args.token, results_worker=args.worker
    )
    print(f"Werkboeken op http://{args.host}:{args.port}/ (stoppen: Ctrl+C)")
    if "--VoilaConfiguration.preheat_kernel=False" not in command:
        print(
            "Kernels voor deelnemers worden klaargezet, één per seconde (50: ongeveer een "
            "minuut); deel de link daarna.",
            flush=True,
        )
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

    with Store(args.db) as store:
        for session in load_demo(store, args.file or DEMO_DIR):
            print(f"Demosessie '{session.title}' staat klaar in {store!r}.")
            print(f"  sessiecode:    {session.code}")
            print(f"  deelnemerlink: {participant_link(args.base_url, session.code)}")
    return 0


def cmd_session_create(args: argparse.Namespace) -> int:
    from .templates import parse_template, read_template_text

    builtin = args.template in builtin_templates()
    reference = args.template if builtin else str(Path(args.template).resolve())
    text = read_template_text(args.template)
    template = parse_template(text, source=args.template)  # fails before the store opens
    with Store(args.db) as store:
        session = store.create_session(  # stores the whole template with the session
            args.title,
            template=reference,
            template_text=text,
            code=args.code,
            network=args.network,
        )
    print(f"Sessie aangemaakt: {session.title}")
    print(f"  sessiecode:    {session.code}")
    print(
        f"  sjabloon:      {template.name} {template.version} (opgeslagen bij de sessie; "
        "het bestand mag nu verhuizen of veranderen)"
    )
    print(f"  deelnemerlink: {participant_link(args.base_url, session.code)}")
    print(f"  trainersleutel: {session.trainer_key}  (geheim houden)")
    return 0


def cmd_session_list(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        sessions = store.sessions()
        if not sessions:
            print("Nog geen sessies.")
        for session in sessions:
            state = "gesloten" if session.closed else "open"
            count = len(store.participants(session.code))
            code = session.code if session.code == normal_code(session.code) else None
            shown = code or f"{session.code!r} {messages()('store_check.bad_code_listed')}"
            print(f"{shown}\t{state}\t{count} deelnemers\t{session.title}")
    return 0


def cmd_session_delete(args: argparse.Namespace) -> int:
    with Store(args.db) as store:
        session = store.delete_session(args.code, args.key)
    print(messages()("store_check.deleted_done", code=session.code))
    return 0


def cmd_session_purge(args: argparse.Namespace) -> int:
    m = messages()
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
    with Store(args.db) as store:
        session = store.session(args.code)
        if args.key != session.trainer_key:
            raise NetwerkError("Deze trainersleutel hoort niet bij de sessie.")
        store.set_closed(session.code, args.action == "close")
    print(f"Sessie {session.code} is nu {'gesloten' if args.action == 'close' else 'open'}.")
    return 0


def cmd_template_validate(args: argparse.Namespace) -> int:
    from .templates import check_template

    failed = 0
    for name in args.files:
        path = template_path(name)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raw = None
        problems = _unreadable(path) if raw is None else check_template(raw, str(path))[1]
        if problems:
            for problem in problems:
                print(f"FOUT {problem}", file=sys.stderr)
            failed += 1
            continue
        template = load_template(path)
        questions = sum(len(b.questions) for b in template.blocks)
        print(
            f"OK   {name}: {template.name} {template.version}, {len(template.blocks)} "
            f"blokken, {questions} vragen"
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
        raise NetwerkError(f"{destination} bestaat al; kies een andere naam of gebruik --force.")
    shutil.copyfile(source, destination)
    print(
        f"Sjabloon gekopieerd naar {destination}. Pas het aan en controleer het met:\n"
        f"  netwerk template validate {destination}"
    )
    return 0


def cmd_template_list(_args: argparse.Namespace) -> int:
    from .messages import messages
    from .templates import own_template_files

    m = messages("nl")
    print(m("designer.list.builtin"))
    for name in builtin_templates():
        print(_template_line(name, load_template(name)))
    folder = settings().templates_dir
    print(m("designer.list.own", folder=folder, variable="NETWERK_TEMPLATES_DIR"))
    files = own_template_files(folder)
    if not files:
        print("  " + m("designer.list.none"))
    for path in files:
        try:
            template = load_template(path)
        except NetwerkError as exc:
            problem = exc.problem if isinstance(exc, TemplateError) else str(exc)
            where = f"{exc.field}: " if isinstance(exc, TemplateError) and exc.field else ""
            print(f"  {path.name}  " + m("designer.list.broken", problem=where + problem))
            continue
        print(_template_line(path.name, template))
    return 0


def _template_line(name: str, template: Template) -> str:
    """One template in ``netwerk template list``: name, version, language, blocks, title;
    then who made it, its licence and description, when it says."""
    from .messages import messages

    m = messages("nl")
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
    from .messages import messages
    from .templates import describe_change, diff_templates

    m = messages("nl")
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
        print("  " + describe_change(change, "nl"))
    return 0


def _step(step: int, steps: int, text: str) -> None:
    """A progress line on stderr, e.g. ``[2/7] Ambities…``."""
    print(f"[{step}/{steps}] {text}…", file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ANSWER_FORMATS, NETWORK_FORMATS, check_suffix

    everything = [code.lower() for code in args.sessions] == ["all"]
    if not everything and "all" in (code.lower() for code in args.sessions):
        raise NetwerkError("Gebruik 'all' alleen, zonder andere sessiecodes.")
    if args.network and (everything or len(args.sessions) != 1):
        raise NetwerkError("--network schrijft het netwerk van één sessie: noem één sessiecode.")
    check_suffix(args.out, ANSWER_FORMATS)
    if args.network:
        check_suffix(args.network, NETWORK_FORMATS)
    from .export import export_answers, export_network

    steps = 2 if args.network else 1
    which = "alle sessies" if everything else ", ".join(args.sessions)
    _step(1, steps, f"Antwoorden van {which} naar {args.out}")
    with Store(args.db) as store:
        sessions = None if everything else args.sessions
        path = export_answers(args.out, sessions, store=store, history=args.history)
        print(f"Antwoorden geschreven naar {path}")
        if args.network:
            _step(2, steps, f"Netwerk van {args.sessions[0]} naar {args.network}")
            path = export_network(args.network, args.sessions[0], store=store)
            print(f"Netwerk geschreven naar {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .export import check_suffix
    from .report import REPORT_FORMATS, write_report

    pdf = check_suffix(args.out, REPORT_FORMATS) == ".pdf"
    with Store(args.db) as store:
        path = write_report(args.out, args.session, store=store, progress=_step)
    if pdf:
        print(f"Verslag (PDF) geschreven naar {path}")
    else:
        print(f"Verslag geschreven naar {path} (open het in een browser; afdrukken kan als PDF)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netwerk",
        description=(
            "Netwerkwerkboek: werkboeken serveren, sessies beheren en sjablonen controleren."
        ),
    )
    parser.add_argument(
        "--db",
        default=None,
        help=("opslag-URL (standaard: $NETWERK_DB_URL of een SQLite-bestand in je datamap)"),
    )
    parser.add_argument(
        "--base-url",
        default=f"http://localhost:{DEFAULT_PORT}",
        help="adres van de Voilà-server, voor de links die we tonen",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    serve = commands.add_parser("serve", help="de werkboeken serveren met Voilà")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="0.0.0.0 opent de server voor het netwerk (gebruik dan --token)",
    )
    serve.add_argument("--token", default=None, help="wachtwoord dat in de link moet staan")
    serve.add_argument("--workbooks", default=str(DEFAULT_WORKBOOKS))
    serve.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="geen resultatenworker: elke pagina rekent de groepsresultaten zelf uit",
    )
    serve.set_defaults(run=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="de resultatenworker draaien (netwerk serve start er zelf al een)",
        description=(
            "Rekent de groepsresultaten één keer uit voor alle pagina's die erom vragen, en "
            "bewaart ze in de opslag. `netwerk serve` start er zelf één; deze opdracht is voor "
            "een Voilà die je zelf start (zet daar NETWERK_RESULTS_WORKER=1). Stoppen: Ctrl+C."
        ),
    )
    worker.add_argument(
        "--name", default=None, help="naam van deze worker (standaard host:pid:willekeurig)"
    )
    worker.add_argument(
        "--interval", type=float, default=None, help="seconden tussen twee rondes (0,2)"
    )
    worker.set_defaults(run=cmd_worker)

    demo = commands.add_parser("demo", help="de demosessie laden (eenmalig)")
    demo.add_argument("--file", default=None, help="een eigen demobestand of -map (YAML)")
    demo.set_defaults(run=cmd_demo)

    session = commands.add_parser("session", help="sessies aanmaken, tonen, sluiten")
    session_commands = session.add_subparsers(dest="action", required=True, metavar="ACTIE")
    create = session_commands.add_parser("create", help="nieuwe sessie uit een sjabloon")
    create.add_argument("title", help="naam van de sessie, bijv. 'MuziekTafel maart'")
    create.add_argument("--template", default=DEFAULT_TEMPLATE, help="naam of YAML-bestand")
    create.add_argument("--code", default=None, help="eigen sessiecode (standaard: willekeurig)")
    create.add_argument("--network", default=None, help="naam van het netwerk (voor vergelijken)")
    create.set_defaults(run=cmd_session_create)
    session_commands.add_parser("list", help="alle sessies").set_defaults(run=cmd_session_list)
    for action, text in (("close", "sluiten: geen nieuwe antwoorden"), ("reopen", "heropenen")):
        sub = session_commands.add_parser(action, help=text)
        sub.add_argument("code")
        sub.add_argument("--key", required=True, help="de trainersleutel van de sessie")
        sub.set_defaults(run=cmd_session_state, action=action)
    delete = session_commands.add_parser(
        "delete", help="verwijderen: niet meer te zien of te openen, antwoorden blijven bewaard"
    )
    delete.add_argument("code")
    delete.add_argument("--key", required=True, help="de trainersleutel van de sessie")
    delete.set_defaults(run=cmd_session_delete)
    purge = session_commands.add_parser(
        "purge", help="een sessie met al haar antwoorden voorgoed wissen (vraagt bevestiging)"
    )
    purge.add_argument("code")
    purge.add_argument("--key", required=True, help="de trainersleutel van de sessie")
    purge.add_argument("--yes", action="store_true", help="niet om bevestiging vragen")
    purge.set_defaults(run=cmd_session_purge)

    template = commands.add_parser(
        "template", help="sjablonen kopiëren, controleren, tonen en vergelijken"
    )
    template_commands = template.add_subparsers(dest="action", required=True, metavar="ACTIE")
    validate = template_commands.add_parser("validate", help="sjabloonbestanden controleren")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(run=cmd_template_validate)
    copy = template_commands.add_parser("copy", help="een sjabloon kopiëren om aan te passen")
    copy.add_argument("destination")
    copy.add_argument("--source", default=DEFAULT_TEMPLATE)
    copy.add_argument("--force", action="store_true")
    copy.set_defaults(run=cmd_template_copy)
    template_commands.add_parser(
        "list",
        help="ingebouwde en eigen sjablonen (map: $NETWERK_TEMPLATES_DIR)",
        description=(
            "Toont de ingebouwde sjablonen en die in je eigen sjablonenmap (standaard "
            "~/.local/share/netwerkwerkboek/sjablonen, of $NETWERK_TEMPLATES_DIR; de "
            "ontwerper bewaart ze daar): titel, versie, taal, aantal onderdelen, en wie het "
            "maakte onder welke licentie."
        ),
    ).set_defaults(run=cmd_template_list)
    diff = template_commands.add_parser(
        "diff",
        help="wat is er veranderd tussen twee versies van een sjabloon",
        description=(
            "Noemt de onderdelen, vragen, kolommen en opties die erbij kwamen, verdwenen of "
            "veranderden (teksten, soorten, schalen, instellingen), zodat je weet wat er "
            "anders is voordat je een nieuwe versie gebruikt."
        ),
    )
    diff.add_argument("old", metavar="OUD", help="naam of YAML-bestand van de oude versie")
    diff.add_argument("new", metavar="NIEUW", help="naam of YAML-bestand van de nieuwe versie")
    diff.set_defaults(run=cmd_template_diff)

    export = commands.add_parser(
        "export",
        help="antwoorden opslaan als CSV, Excel of Parquet (en het netwerk als GraphML)",
        description=(
            "Schrijft de antwoorden van een of meer sessies naar een bestand. De extensie "
            "kiest het formaat: .csv (UTF-8, opent in Excel), .xlsx (Excel, met een blad "
            "deelnemers) of .parquet (pandas, pyarrow). Geheime links staan er nooit in."
        ),
    )
    export.add_argument(
        "sessions", nargs="+", metavar="SESSIE", help="sessiecode(s), of 'all' voor alle sessies"
    )
    export.add_argument(
        "--out", required=True, metavar="BESTAND", help="doelbestand: .csv, .xlsx of .parquet"
    )
    export.add_argument(
        "--history", action="store_true", help="elke wijziging, niet alleen het laatste antwoord"
    )
    export.add_argument(
        "--network",
        default=None,
        metavar="BESTAND",
        help="ook het actorennetwerk als .graphml (voor Gephi of yEd; één sessie)",
    )
    export.set_defaults(run=cmd_export)

    report = commands.add_parser(
        "report",
        help="verslag van de groepsresultaten als HTML of PDF",
        description=(
            "Maakt één verslag van een sessie om naar de deelnemers te mailen: per onderdeel "
            "de groepsresultaten met grafieken. Een .html-bestand staat op zichzelf (geen "
            "internet nodig); een .pdf wordt gemaakt met Chromium, als dat geïnstalleerd is."
        ),
    )
    report.add_argument("session", metavar="SESSIE", help="sessiecode")
    report.add_argument(
        "--out", required=True, metavar="BESTAND", help="doelbestand: .html of .pdf"
    )
    report.set_defaults(run=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except NetwerkError as exc:
        print(f"netwerk: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
