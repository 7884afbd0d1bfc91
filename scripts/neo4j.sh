#!/usr/bin/env bash
# A local Neo4j Community 5.26 server without Docker: bash scripts/neo4j.sh start|stop|status
#
# Neo4j comes from Maven Central (tools/neo4j-server/pom.xml, the version docker-compose.yml
# runs), fetched by Maven the first time and cached in ~/.m2 afterwards; it needs Java 17+ and
# Maven. The server listens for Bolt only, on 127.0.0.1, and keeps its data, log and pid file in
# .neo4j/ (git-ignored). Settings, from the environment:
#   NEO4J_BOLT_PORT   Bolt port                          (default 7687)
#   NEO4J_PASSWORD    password of the user neo4j, ≥ 8 characters (default chainkg-dev-password,
#                     for a local machine only)
#   NEO4J_HEAP        JVM heap                           (default 1g)
#   NEO4J_PAGECACHE   page cache                         (default 512m)
set -euo pipefail
cd "$(dirname "$0")/.."

port=${NEO4J_BOLT_PORT:-7687}
password=${NEO4J_PASSWORD:-chainkg-dev-password}
heap=${NEO4J_HEAP:-1g}
pagecache=${NEO4J_PAGECACHE:-512m}
home=$PWD/.neo4j
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
    # The class path is resolved again only when the pom changes.
    local stamp
    stamp=$(sha256sum "$src/pom.xml" "$src/Neo4jServer.java" | sha256sum | cut -c1-16)
    if [ ! -f "$home/build-$stamp" ]; then
        command -v java >/dev/null && command -v mvn >/dev/null || {
            echo "需要 Java 17+ 与 Maven（apt-get install -y openjdk-17-jdk-headless maven）" >&2
            exit 1
        }
        echo "neo4j.sh: 通过 Maven 获取 Neo4j Community（首次较慢，之后使用 ~/.m2 缓存）" >&2
        mvn -q -f "$src/pom.xml" dependency:build-classpath -Dmdep.outputFile="$home/classpath.txt" >&2
        rm -rf "$home/classes" && mkdir -p "$home/classes"
        javac -d "$home/classes" -cp "$(cat "$home/classpath.txt")" "$src/Neo4jServer.java"
        rm -f "$home"/build-* && touch "$home/build-$stamp"
    fi
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
    NEO4J_PASSWORD=$password nohup java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC \
        -cp "$home/classes:$(cat "$home/classpath.txt")" Neo4jServer \
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
            exit 1
        fi
        sleep 1
    done
    echo "neo4j.sh: Neo4j 180 秒内未就绪，日志：$log" >&2
    exit 1
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

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    env) print_env ;;
    *) echo "用法：bash scripts/neo4j.sh start|stop|status|env" >&2; exit 2 ;;
esac
