"""`chainkg targets / ledger / history / alerts`: province-wide 精准招商 on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app import province_exports, province_output
from graph_schema.errors import InputError
from queries.province.alerts import alerts as alert_list
from queries.province.history import chain_history
from queries.province.ledger import ledger as ledger_list
from queries.province.targets import province_targets
from queries.snapshot import snapshot

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="嵌入式存储文件（默认 chainkg.db；设置 NEO4J_URI 时改用 Neo4j）"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
ChainOpt = Annotated[str, typer.Option("--chain", help="产业链名称或标识，如 锂电新能源")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="地区或园区（市、县、园区；默认全省）")
]


def register(cli: typer.Typer) -> None:
    """Add the province commands to the `chainkg` app."""
    from app import cli as base  # the CLI's helpers; imported here, once it is defined

    @cli.command()
    def targets(
        top: Annotated[
            int | None, typer.Option("--top", min=1, help="列出前几家（默认 150）")
        ] = None,
        region: RegionOpt = None,
        xlsx: Annotated[Path | None, typer.Option("--xlsx", help="导出 Excel 文件")] = None,
        csv_file: Annotated[Path | None, typer.Option("--csv", help="导出 CSV 文件")] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """全省精准招商目标企业清单：跨产业链排名，每家给出可补环节、配套率提升与建议承接地。"""
        if xlsx is not None and csv_file is not None:
            raise InputError("--xlsx 与 --csv 只能选一个")
        settings = base._settings(db)
        with base._store(settings) as store:
            data = province_targets(
                store,
                snapshot(store),
                settings.analysis(),
                settings.province_params(),
                region,
                top,
            ).model_dump(mode="json")
        if xlsx is not None:
            base._write_file(xlsx, province_exports.targets_xlsx(data))
        elif csv_file is not None:
            base._write_file(csv_file, province_exports.targets_csv(data))
        if as_json:
            base._print_json(data)
        elif xlsx is None and csv_file is None:
            province_output.print_targets(base._out(), data)

    @cli.command()
    def ledger(db: DbOpt = None, as_json: JsonOpt = False) -> None:
        """招商台账：各目标企业最近的对接阶段、日期与责任单位，提示久未对接与尚未对接的目标。"""
        settings = base._settings(db)
        pparams = settings.province_params()
        with base._store(settings) as store:
            snap = snapshot(store)
            target_list = province_targets(store, snap, settings.analysis(), pparams)
            data = ledger_list(store, snap, pparams, target_list).model_dump(mode="json")
        base._emit(data, as_json, province_output.print_ledger)

    @cli.command()
    def history(
        chain: ChainOpt,
        region: RegionOpt = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """产业链历史：各版本的本地配套率与强弱缺断环节数，以及每次导入带来的环节状态变化。"""
        settings = base._settings(db)
        with base._store(settings) as store:
            answer = chain_history(store, snapshot(store), chain, region, settings.analysis())
            data = answer.model_dump(mode="json")
        base._emit(data, as_json, province_output.print_history)

    @cli.command()
    def alerts(
        chain: Annotated[
            str | None, typer.Option("--chain", help="只看这条产业链（默认全部）")
        ] = None,
        region: RegionOpt = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """预警：环节变差、链主或领航企业迁出/消失/营收下滑、项目停滞、卡脖子与断点问题久未销号。"""
        settings = base._settings(db)
        with base._store(settings) as store:
            data = alert_list(
                store,
                snapshot(store),
                settings.analysis(),
                settings.province_params(),
                chain,
                region,
            ).model_dump(mode="json")
        base._emit(data, as_json, province_output.print_alerts)
