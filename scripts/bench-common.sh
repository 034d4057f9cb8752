# Sourced by the benchmark wrappers (scripts/bench-*.sh): `run_bench DRIVER.py ARGS...` installs
# what is missing and builds builder in release mode (unless --skip-build is among ARGS), then runs
# the Python driver with --builder and the other ARGS.
run_bench() {
    local driver="$1"
    shift
    local skip_build=0 args=() argument
    for argument in "$@"; do
        if [ "$argument" = "--skip-build" ]; then skip_build=1; else args+=("$argument"); fi
    done
    if [ "$skip_build" -eq 0 ]; then
        scripts/install-deps.sh
        swift build -c release --product builder >&2
    fi
    exec python3 "$driver" --builder "$(swift build -c release --show-bin-path)/builder" ${args[@]+"${args[@]}"}
}
