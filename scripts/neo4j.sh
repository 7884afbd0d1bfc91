#!/usr/bin/env bash
# A local Neo4j Community 5.26 server without Docker: bash scripts/neo4j.sh start|stop|status
# and `bash scripts/neo4j.sh import DIR`, the first load of a large graph with neo4j-admin's bulk
# importer from the files `chainkg load … --neo4j-bulk DIR` writes (docs/neo4j-bulk.md).
#
# Neo4j comes from Maven Central (tools/neo4j-server/pom.xml, the version docker-compose.yml
# runs), fetched by Maven the first time and cached in ~/.m2 afterwards; it needs Java 17+ and
# Maven. The server listens for Bolt only, on 127.0.0.1, and keeps its data, log and pid file in
# .neo4j/ (git-ignored; NEO4J_DIR names another folder, e.g. a second server for a test).
# Settings, from the environment:
#   NEO4J_BOLT_PORT   Bolt port                          (default 7687)
#   NEO4J_PASSWORD    password of the user neo4j, ≥ 8 characters (default chainkg-dev-password,
#                     for a local machine only)
#   NEO4J_HEAP        JVM heap                           (default 1g)
#   NEO4J_PAGECACHE   page cache                         (default 512m)
#   NEO4J_DIR         data, log and pid file             (default .neo4j)
#   NEO4J_IMPORT_HEAP     JVM heap of the bulk importer  (default 1g)
#   NEO4J_IMPORT_OFFHEAP  its off-heap memory            (default 2g)
set -euo pipefail
cd "$(dirname "$0")/.."

port=${NEO4J_BOLT_PORT:-7687}
password=${NEO4J_PASSWORD:-chainkg-dev-password}
heap=${NEO4J_HEAP:-1g}
pagecache=${NEO4J_PAGECACHE:-512m}
build_home=$PWD/.neo4j  # the class path and compiled launchers, shared by every NEO4J_DIR
mkdir -p "${NEO4J_DIR:-.neo4j}"
home=$(cd "${NEO4J_DIR:-.neo4j}" && pwd)
import_heap=${NEO4J_IMPORT_HEAP:-1g}
import_offheap=${NEO4J_IMPORT_OFFHEAP:-2g}
pidfile=$home/neo4j.pid
log=$home/neo4j.log
src=tools/neo4j-server

running() {
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

print_env() {
    echo "export NEO4J_URI=bolt://127.0.0.1:$port NEO4J_USER=neo4j NEO4J_PASSWORD=$password"
}

build() {
    # The class path is resolved again only when the pom or a launcher changes.
    local stamp
    stamp=$(sha256sum "$src/pom.xml" "$src"/*.java | sha256sum | cut -c1-16)
    mkdir -p "$build_home"
    if [ ! -f "$build_home/build-$stamp" ]; then
        command -v java >/dev/null && command -v mvn >/dev/null || {
            echo "需要 Java 17+ 与 Maven（apt-get install -y openjdk-17-jdk-headless maven）" >&2
            exit 1
        }
        echo "neo4j.sh: 通过 Maven 获取 Neo4j Community（首次较慢，之后使用 ~/.m2 缓存）" >&2
        mvn -q -f "$src/pom.xml" dependency:build-classpath \
            -Dmdep.outputFile="$build_home/classpath.txt" >&2
        rm -rf "$build_home/classes" && mkdir -p "$build_home/classes"
        javac -d "$build_home/classes" -cp "$(cat "$build_home/classpath.txt")" "$src"/*.java
        rm -f "$build_home"/build-* && touch "$build_home/build-$stamp"
    fi
}

classpath() {
    echo "$build_home/classes:$(cat "$build_home/classpath.txt")"
}

start() {
    mkdir -p "$home"
    if running; then
        echo "neo4j.sh: 已在运行（pid $(cat "$pidfile")）" >&2
        print_env
        return
    fi
    build
    echo "neo4j.sh: 启动 Neo4j，Bolt 端口 $port，堆内存 $heap（NEO4J_HEAP），页缓存 $pagecache（NEO4J_PAGECACHE）" >&2
    # Emptied here, not by the child's redirection: that runs after the fork, and the wait below
    # would find the previous run's "ready" line in the meantime (a restart returned at once).
    : >"$log"
    NEO4J_PASSWORD=$password nohup java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC \
        -cp "$(classpath)" Neo4jServer \
        "$home/data" "$port" "$pagecache" >"$log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 180); do
        if grep -q "ready on bolt://" "$log" 2>/dev/null; then
            print_env
            return
        fi
        if ! running; then
            echo "neo4j.sh: Neo4j 启动失败，日志：$log" >&2
            tail -n 20 "$log" >&2
            rm -f "$pidfile"
            return 1
        fi
        sleep 1
    done
    echo "neo4j.sh: Neo4j 180 秒内未就绪，日志：$log" >&2
    return 1
}

stop() {
    if running; then
        local pid
        pid=$(cat "$pidfile")
        kill "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "neo4j.sh: 已停止（pid $pid）" >&2
    else
        echo "neo4j.sh: 未在运行" >&2
    fi
    rm -f "$pidfile"
}

status() {
    if running; then
        echo "neo4j.sh: 运行中（pid $(cat "$pidfile")，bolt://127.0.0.1:$port）"
    else
        echo "neo4j.sh: 未在运行"
        return 3
    fi
}


# The first load of a large graph: neo4j-admin database import full, from the files that
# `chainkg load … --neo4j-bulk DIR` wrote, into a new database in a staging folder while the
# server goes on serving the old one; then the constraints and indexes are built and brought
# online there (Neo4jSchema.java). Only then is the server stopped, the new database put in
# place of the old one (which is kept in $home/replaced/ until the next import) and the server
# started again. Any failure before the swap leaves the old database and the server as they
# were; a new database that does not start is taken out again and the old one restarted.
import_dir() {
    local dir=${1:-}
    if [ -z "$dir" ] || [ ! -f "$dir/import.args" ] || [ ! -f "$dir/schema.cypher" ]; then
        echo "neo4j.sh: ${dir:-（未给出文件夹）} 不是 chainkg load --neo4j-bulk 写出的文件夹（缺少 import.args 或 schema.cypher）" >&2
        exit 2
    fi
    dir=$(cd "$dir" && pwd)
    build
    local staging=$home/import-staging db=$home/data/data old=$home/replaced
    rm -rf "$staging"
    mkdir -p "$staging/conf"
    : >"$staging/conf/neo4j.conf"
    echo "neo4j.sh: neo4j-admin database import full（堆内存 $import_heap，堆外内存 $import_offheap；服务器照常运行）" >&2
    local began=$SECONDS
    if ! (cd "$dir" && NEO4J_HOME=$staging NEO4J_CONF=$staging/conf nice java \
        "-Xms$import_heap" "-Xmx$import_heap" -cp "$(classpath)" org.neo4j.cli.AdminTool \
        database import full "--report-file=$staging/import.report" \
        "--max-off-heap-memory=$import_offheap" "@$dir/import.args" neo4j >&2); then
        echo "neo4j.sh: 批量导入失败，原数据库未做任何修改（报告：$staging/import.report）" >&2
        exit 1
    fi
    echo "neo4j.sh: 批量导入用时 $((SECONDS - began)) 秒；建立约束与索引" >&2
    began=$SECONDS
    if ! java "-Xmx$heap" -cp "$(classpath)" Neo4jSchema "$staging" "$dir/schema.cypher" \
        "$pagecache" >&2; then
        echo "neo4j.sh: 建立约束与索引失败，原数据库未做任何修改" >&2
        exit 1
    fi
    echo "neo4j.sh: 约束与索引用时 $((SECONDS - began)) 秒" >&2
    began=$SECONDS
    running && stop
    rm -rf "$old" && mkdir -p "$old" "$db/databases" "$db/transactions"
    [ -d "$db/databases/neo4j" ] && mv "$db/databases/neo4j" "$old/databases-neo4j"
    [ -d "$db/transactions/neo4j" ] && mv "$db/transactions/neo4j" "$old/transactions-neo4j"
    mv "$staging/data/databases/neo4j" "$db/databases/neo4j"
    mv "$staging/data/transactions/neo4j" "$db/transactions/neo4j"
    if ! start; then
        echo "neo4j.sh: 新数据库无法启动，恢复原数据库" >&2
        rm -rf "$db/databases/neo4j" "$db/transactions/neo4j"
        [ -d "$old/databases-neo4j" ] && mv "$old/databases-neo4j" "$db/databases/neo4j"
        [ -d "$old/transactions-neo4j" ] && mv "$old/transactions-neo4j" "$db/transactions/neo4j"
        start >/dev/null || true
        exit 1
    fi
    rm -rf "$staging"
    echo "neo4j.sh: 替换并重启用时 $((SECONDS - began)) 秒" >&2
    echo "neo4j.sh: 导入完成；原数据库保留在 $old（下次导入时删除）" >&2
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) print_env ;;
    import) import_dir "${2:-}" ;;
    *) echo "用法：bash scripts/neo4j.sh start|stop|status|env|import 文件夹" >&2; exit 2 ;;
esac
