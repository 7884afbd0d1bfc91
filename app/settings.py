"""All of chainkg's settings in one place: environment variables with the prefix CHAINKG_.

Neo4j is chosen by the conventional NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD variables
(CHAINKG_NEO4J_URI etc. work too). The analyses' thresholds and weights are defined once in
`queries` (AnalysisParams, ProvinceParams); Settings holds them as two parts (`analysis_params`,
`province_analysis`), each field still set by its own flat variable (CHAINKG_WEAK_MIN_REVENUE).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_origin

from pydantic import AliasChoices, BaseModel, Field, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from loaders.readers import ReadLimits
from loaders.workbook import LoadOptions
from queries.params import AnalysisParams
from queries.province.params import ProvinceParams
from store.base import GraphStore
from store.factory import open_store


def _env(name: str) -> AliasChoices:
    return AliasChoices(f"CHAINKG_{name}", name)


PREFIX = "CHAINKG_"
# The parts composed from `queries` models: field of Settings → the model it holds.
PARTS: dict[str, type[BaseModel]] = {
    "province_analysis": ProvinceParams,
    "analysis_params": AnalysisParams,
}


class _PartsFromEnv(PydanticBaseSettingsSource):
    """The fields of the composed parts from their flat CHAINKG_<NAME> variables (lists and
    mappings as JSON, as pydantic-settings reads its own)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ reads the parts whole

    def __call__(self) -> dict[str, Any]:
        env = {k.upper(): v for k, v in os.environ.items() if k.upper().startswith(PREFIX)}
        out: dict[str, Any] = {}
        for part, model in PARTS.items():
            values: dict[str, Any] = {}
            for name, field in model.model_fields.items():
                raw = env.get(f"{PREFIX}{name.upper()}")
                if raw is not None:
                    values[name] = _decoded(raw, field)
            if values:
                out[part] = values
        return out


def _decoded(raw: str, field: FieldInfo) -> Any:
    if get_origin(field.annotation) in (list, dict, set, tuple):
        try:
            return json.loads(raw)
        except ValueError:
            return raw  # pydantic then names the variable and what it expects
    return raw


class Settings(BaseSettings):
    """Every setting. The analyses' thresholds and weights are the composed parts
    `analysis_params` (AnalysisParams) and `province_analysis` (ProvinceParams)."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore")

    province_analysis: ProvinceParams = Field(
        default_factory=ProvinceParams, description="全省分析的阈值与权重（各项见下）"
    )
    analysis_params: AnalysisParams = Field(
        default_factory=AnalysisParams, description="分析的阈值与权重（各项见下）"
    )
    debug: bool = Field(False, description="出错时显示内部错误的详情（开发用）")

    db: Path = Field(Path("chainkg.db"), description="嵌入式存储（SQLite 文件）路径")
    province: str = Field("江西省", description="本省名称：省内企业与项目的地区挂在其下")

    neo4j_uri: str | None = Field(None, validation_alias=_env("NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=_env("NEO4J_USER"))
    neo4j_password: str = Field("", validation_alias=_env("NEO4J_PASSWORD"))
    neo4j_database: str | None = Field(None, validation_alias=_env("NEO4J_DATABASE"))
    neo4j_tx_rows: int = Field(
        10_000, ge=1, description="Neo4j 导入时每个写事务的行数（大批导入分批提交，失败则整体撤销）"
    )

    load_part_rows: int = Field(
        5_000,
        ge=1,
        description="导入时每读入多少行清单就把已校验的部分写入（同一事务，出错则整体撤销）；"
        "越小内存越省",
    )
    max_file_mb: int = Field(
        64, description="单个 .xlsx 文件与文档的大小上限（MB）；CSV 上限为其 10 倍"
    )
    max_unzipped_mb: int = Field(1024, description=".xlsx 解压后总大小上限（MB）")
    max_zip_csv_mb: int = Field(
        64,
        ge=1,
        description="上传的 .zip 包内 CSV 解压后总大小上限（MB）；导入内存随行数增长，"
        "默认与单次上传上限相同，使导入的内存峰值低于 500 MB",
    )
    max_zip_ratio: int = Field(200, description=".xlsx 内单个部件允许的最大压缩比")
    max_cell_chars: int = Field(32_767, ge=1, description="单元格最多字符数（CSV 与 .xlsx 相同）")
    max_rows: int = Field(1_048_576, ge=1, description="每张工作表最多行数")
    max_cols: int = Field(16_384, ge=1, description="每张工作表最多列数")
    max_cells: int = Field(30_000_000, ge=1, description="每张工作表最多单元格数（含空位）")
    max_strings_chars: int = Field(64_000_000, ge=1, description=".xlsx 共享字符串表的总字符数上限")
    max_line_chars: int = Field(2_000_000, ge=1, description="CSV 一行最多字符数")
    min_year: int = Field(1900, description="年份下限")
    max_year: int = Field(2100, description="年份上限")

    cache_dir: Path = Field(
        Path.home() / ".cache" / "chainkg", description="缓存目录（jieba 分词词典缓存等）"
    )

    host: str = "127.0.0.1"
    port: int = 8000
    switch_interval_ms: float = Field(
        1.0,
        gt=0,
        description="服务进程的线程切换间隔（毫秒）：导入在后台进行时，读请求等待越短",
    )
    search_limit: int = Field(20, description="搜索默认返回条数")

    # The web service: writes over HTTP are off until a token is set.
    write_token: str | None = Field(
        None, description="写入接口（导入）的令牌：Authorization: Bearer <令牌>；未设置则关闭写入"
    )
    max_upload_mb: int = Field(64, ge=1, description="网页与接口上传文件的大小上限（MB）")
    import_timeout_s: float = Field(
        300,
        gt=0,
        description="一次网页/接口导入的时间上限（秒），含读取、校验与写入；超时则不写入任何数据",
    )
    upload_dir: Path | None = Field(
        None, description="上传文件的临时目录（默认 缓存目录/uploads）；服务启动时清空"
    )
    overview_rate_good: float = Field(
        0.8, ge=0, le=1, description="首页产业链×城市表：本地配套率不低于此值标为绿色（较好）"
    )
    overview_rate_fair: float = Field(
        0.5,
        ge=0,
        le=1,
        description="首页产业链×城市表：本地配套率不低于此值标为黄色（一般），否则灰色",
    )

    def load_options(self, check: Callable[[], None] | None = None) -> LoadOptions:
        """How files are read; `check` is called as reading goes on and may raise to stop it."""
        limits = ReadLimits(
            max_file_bytes=self.max_file_mb * 1_000_000,
            max_unzipped_bytes=self.max_unzipped_mb * 1_000_000,
            max_ratio=self.max_zip_ratio,
            max_cell_chars=self.max_cell_chars,
            max_rows=self.max_rows,
            max_cols=self.max_cols,
            max_cells=self.max_cells,
            max_strings_chars=self.max_strings_chars,
            max_line_chars=self.max_line_chars,
            min_year=self.min_year,
            max_year=self.max_year,
            check=check,
        )
        return LoadOptions(province=self.province, limits=limits, part_rows=self.load_part_rows)

    def uploads(self) -> Path:
        """chainkg's own folder for uploads in progress (emptied when the server starts)."""
        return self.upload_dir or self.cache_dir / "uploads"

    @model_validator(mode="before")
    @classmethod
    def _flat_parts(cls, data: Any) -> Any:
        """`Settings(weak_min_revenue=5)` sets the composed part's field, as the variable
        CHAINKG_WEAK_MIN_REVENUE does."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for part, model in PARTS.items():
            flat = {k: data.pop(k) for k in list(data) if k in model.model_fields}
            if flat:
                given = data.get(part)
                base = given.model_dump() if isinstance(given, BaseModel) else dict(given or {})
                data[part] = {**base, **flat}
        return data

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        parts = _PartsFromEnv(settings_cls)
        return init_settings, env_settings, parts, dotenv_settings, file_secret_settings

    def analysis(self) -> AnalysisParams:
        """The thresholds and weights of the analyses, as set."""
        return self.analysis_params

    def province_params(self) -> ProvinceParams:
        """The settings of the province-wide analyses (targets, 台账, history, alerts)."""
        return self.province_analysis

    def open_store(self) -> GraphStore:
        """Neo4j when a URI is set, else the embedded SQLite file."""
        return open_store(
            self.db,
            self.neo4j_uri,
            self.neo4j_user,
            self.neo4j_password,
            self.neo4j_database,
            self.neo4j_tx_rows,
        )
