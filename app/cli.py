"""The `chainkg` command line. Errors reach the user as Chinese messages, never tracebacks."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from app import output, province_cli
from app.importing import run_import
from app.neo4j_bulk import export_bulk
from app.settings import Settings
from app.terminal import SafeConsole
from graph_schema.errors import ChainKGError, InputError, NotFoundError
from queries.snapshot import snapshot
from store.base import GraphStore

# A command's own modules (analyses, exports, the search's jieba, the template) are imported
# in the command: `chainkg load` and every other command then start without them.

DEMO_DATA = Path(__file__).parent / "demo_data"
DEMO_UPDATE = "第二版"

cli = typer.Typer(
    name="chainkg",
    help="产业链知识图谱：四图五清单入图、强弱缺断诊断、链主识别与补链招商清单。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
err = SafeConsole(stderr=True, markup=False, highlight=False, soft_wrap=True)

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="嵌入式存储文件（默认 chainkg.db；设置 NEO4J_URI 时改用 Neo4j）"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _out() -> Console:
    """Standard output; piped output gets wide lines rather than truncated table cells."""
    console = SafeConsole(markup=False, highlight=False)
    if not console.is_terminal:
        console.width = 200
    return console


def _settings(db: Path | None) -> Settings:
    settings = Settings()
    if db is not None:
        settings.db = db
    return settings


@contextmanager
def _store(settings: Settings, *, write: bool = False) -> Iterator[GraphStore]:
    """The configured store. A read never creates an embedded file, and says so when the store it
    opens holds nothing yet, naming the file."""
    if not write and settings.neo4j_uri is None and not settings.db.exists():
        raise InputError(
            f"存储文件 {settings.db} 不存在：先用 chainkg load 导入数据（或 chainkg demo 导入演示数据），"
            "或用 --db 指定已有的存储文件"
        )
    store = settings.open_store()
    try:
        if not write and store.version() == 0:
            where = settings.neo4j_uri or str(settings.db)
            err.print(f"提示：存储 {where} 中还没有数据，先用 chainkg load 导入。")
        yield store
    finally:
        store.close()


_A = TypeVar("_A")


def _print_json(data: Any) -> None:
    """The JSON of an answer: a typed answer as the API sends it (model_dump)."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _emit(data: _A, as_json: bool, table: Callable[[Console, _A], None]) -> None:
    """JSON with --json, else the Chinese table."""
    if as_json:
        _print_json(data)
    else:
        table(_out(), data)


@cli.command()
def template(out: Annotated[Path, typer.Argument(help="输出的 .xlsx 文件")]) -> None:
    """生成空白的四图五清单模板工作簿。"""
    from loaders.template import write_template

    write_template(out)
    err.print(f"已生成模板：{out}")


@cli.command()
def load(
    paths: Annotated[
        list[Path], typer.Argument(help=".xlsx 工作簿、CSV 文件、.txt/.md/.docx 文档或文件夹")
    ],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验，不写入")] = False,
    neo4j_bulk: Annotated[
        Path | None,
        typer.Option(
            "--neo4j-bulk",
            help="不写入数据库，而为空的 Neo4j 数据库写出批量导入文件到此文件夹，"
            "再用 bash scripts/neo4j.sh import 文件夹 导入（大规模首次导入）",
        ),
    ] = None,
) -> None:
    """校验并导入四图五清单；有任何错误则不写入（退出码 2）。"""
    settings = _settings(db)
    if neo4j_bulk is not None and dry_run:
        raise InputError("--neo4j-bulk 与 --dry-run 只能选一个")
    with (
        _store(settings, write=True) as store,
        output.progress(err, enabled=not as_json) as progress,
    ):
        try:
            if neo4j_bulk is not None:
                report = export_bulk(store, paths, neo4j_bulk, settings, progress)
            else:
                report = run_import(
                    store, paths, settings, progress, dry_run=dry_run, keep_snapshot=False
                )
        except InputError as exc:
            if as_json:
                _print_json(output.load_failure(exc))
            else:
                output.print_issues(err, exc.issues, str(exc))
            raise typer.Exit(2) from None
    if as_json:
        _print_json(output.load_success(report))
    else:
        output.print_load(err, report)
    if neo4j_bulk is not None and not as_json:
        err.print(
            f"以上为批量导入文件（{neo4j_bulk}），数据库尚未改变；"
            f"导入：bash scripts/neo4j.sh import {neo4j_bulk}"
        )


@cli.command()
def stats(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """各类节点与关系的数量。"""
    with _store(_settings(db)) as store:
        data = store.stats()
    if as_json:
        _print_json(data)
    else:
        output.print_stats(_out(), data)


@cli.command()
def show(
    name: Annotated[str, typer.Argument(help="名称、别名或标识")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """查看一个节点：属性、关系与提及它的文档。"""
    from queries.nodes import node_detail

    with _store(_settings(db)) as store:
        detail = node_detail(store, name)
    if as_json:
        _print_json(detail)
    else:
        output.print_detail(_out(), detail)


@cli.command("search")
def search_cmd(
    text: Annotated[str, typer.Argument(help="搜索词")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    limit: Annotated[int | None, typer.Option("--limit", help="最多返回条数")] = None,
) -> None:
    """中文搜索：节点名称、别名与文档（jieba 分词）。"""
    from queries.search import search

    settings = _settings(db)
    with _store(settings) as store:
        data = search(store, text, limit or settings.search_limit, settings.cache_dir)
    if as_json:
        _print_json(data)
    else:
        output.print_search(_out(), data)


ChainOpt = Annotated[str, typer.Option("--chain", help="产业链名称或标识，如 锂电新能源")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="地区或园区（市、县、园区；默认全省）")
]


@cli.command()
def diagnose(
    chain: ChainOpt,
    region: RegionOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """产业链诊断：各环节强链/弱链/缺链/断链、本地企业、在手项目与理由。"""
    from app import analysis_output
    from queries import diagnosis as analyses
    from queries.stated import with_stated_revenue

    settings = _settings(db)
    with _store(settings) as store:
        data = analyses.diagnose(snapshot(store), chain, region, settings.analysis())
        data = with_stated_revenue(store, data, settings.province)
    _emit(data, as_json, analysis_output.print_diagnosis)


@cli.command()
def anchors(
    chain: ChainOpt,
    region: RegionOpt = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="列出前几家")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """链主识别：本地企业按链主指数排名，列出各分项与理由。"""
    from app import analysis_output
    from queries.anchors import rank_anchors

    settings = _settings(db)
    with _store(settings) as store:
        data = rank_anchors(snapshot(store), chain, settings.analysis(), region, top)
    _emit(data, as_json, analysis_output.print_anchors)


@cli.command()
def recruit(
    chain: ChainOpt,
    region: RegionOpt = None,
    link: Annotated[str | None, typer.Option("--link", help="只看这一个环节")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="导出 Excel 文件")] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="导出 CSV 文件")] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="每个环节列出几家")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """补链招商目标企业清单：断链、缺链、弱链环节的省外候选企业，排名并说明理由。"""
    if xlsx is not None and csv_file is not None:
        raise InputError("--xlsx 与 --csv 只能选一个")
    from app import analysis_output, exports
    from queries.recruitment import recruit as recruit_list

    settings = _settings(db)
    with _store(settings) as store:
        data = recruit_list(snapshot(store), chain, settings.analysis(), region, link, top)
    if xlsx is not None:
        _write_file(xlsx, exports.recruitment_xlsx(data.model_dump(mode="json")))
    elif csv_file is not None:
        _write_file(csv_file, exports.recruitment_csv(data.model_dump(mode="json")))
    if as_json:
        _print_json(data)
    elif xlsx is None and csv_file is None:
        analysis_output.print_recruitment(_out(), data)


def _write_file(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise InputError(f"无法写入文件 {path}：{exc.strerror or exc}") from None
    err.print(f"已导出：{path}")


@cli.command()
def whatif(
    chain: ChainOpt,
    enterprise: Annotated[str, typer.Option("--enterprise", help="假设落地的企业或项目")],
    link: Annotated[
        list[str] | None, typer.Option("--link", help="它将进入的环节（可重复；默认其现有环节）")
    ] = None,
    region: RegionOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """假设分析：某企业（或项目）落地后，哪些环节状态改变、本地配套率如何变化。"""
    from app import analysis_output
    from queries.whatif import what_if

    settings = _settings(db)
    with _store(settings) as store:
        data = what_if(snapshot(store), chain, enterprise, settings.analysis(), link or (), region)
    _emit(data, as_json, analysis_output.print_whatif)


@cli.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str | None, typer.Option("--host", help="监听地址")] = None,
    port: Annotated[int | None, typer.Option("--port", help="端口")] = None,
) -> None:
    """启动 JSON API 服务。"""
    settings = _settings(db)
    _serve(settings, host, port)


@cli.command()
def demo(
    db: DbOpt = None,
    host: Annotated[str | None, typer.Option("--host", help="监听地址")] = None,
    port: Annotated[int | None, typer.Option("--port", help="端口")] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="只导入演示数据，不启动服务")
    ] = False,
) -> None:
    """导入内置的江西演示数据（嵌入式存储）并启动服务。"""
    settings = _settings(db)
    settings.neo4j_uri = None  # the demo always runs on the embedded store
    with _store(settings, write=True) as store, output.progress(err, enabled=True) as progress:
        report = run_import(store, [DEMO_DATA], settings, progress)
        output.print_load(err, report)
        # a later version of a few sheets and the 招商台账 (示例数据): history, alerts, ledger
        report = run_import(store, [DEMO_DATA / DEMO_UPDATE], settings, progress)
    output.print_load(err, report)
    del report  # and the snapshot it holds: the server builds its own
    if not no_serve:
        _serve(settings, host, port)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from app.api import create_app

    host, port = host or settings.host, port or settings.port
    # An import runs in a worker thread of this process: a short switch interval lets a read
    # take the interpreter from it within a millisecond instead of five at each hand-over.
    sys.setswitchinterval(settings.switch_interval_ms / 1000)
    err.print(f"chainkg 服务：http://{host}:{port}/ （按 Ctrl+C 停止）")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


province_cli.register(cli)


def _exit_code(exc: ChainKGError) -> int:
    return 2 if isinstance(exc, InputError | NotFoundError) else 1


def run(argv: list[str] | None = None) -> None:
    """Run the CLI, turning every error into a Chinese message and an exit status.

    Usage errors are typer's own (exit 2); chainkg's errors print their Chinese message.
    """
    try:
        cli(args=argv, prog_name="chainkg")
    except ChainKGError as exc:
        if isinstance(exc, InputError) and exc.issues:
            output.print_issues(err, exc.issues, str(exc))
        else:
            err.print(f"错误：{exc}", highlight=False, markup=False)
        sys.exit(_exit_code(exc))
    except Exception as exc:
        if _debug():
            raise
        err.print(
            f"内部错误（{type(exc).__name__}）：{exc}。设置 CHAINKG_DEBUG=1 可查看详情。",
            highlight=False,
            markup=False,
        )
        sys.exit(1)


def _debug() -> bool:
    """CHAINKG_DEBUG, read through the settings (bad settings are no reason to hide an error's
    details: they then count as not debugging)."""
    try:
        return Settings().debug
    except ValueError:
        return False


def main() -> None:
    run()


if __name__ == "__main__":
    main()
