"""The machine the benchmark ran on: cores, memory, CPU, versions, PostgreSQL settings, load."""

import os
import platform

from bench.config import Config


def machine(config: Config) -> dict:
    import psycopg

    memory_kib = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    model = platform.processor() or "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(config.database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit")
        }
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": version,
        "pg_settings": settings,
        "load_average": os.getloadavg(),
    }
