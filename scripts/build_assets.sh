#!/usr/bin/env bash
# Copies the pinned front-end packages from node_modules into the app's static folder; the app serves them itself.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/keyprojects/static/vendor
mkdir -p "$out"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$out/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$out/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/"
cp node_modules/echarts/dist/echarts.min.js "$out/"
cp node_modules/bootstrap/LICENSE "$out/LICENSE.bootstrap"
cp node_modules/htmx.org/LICENSE "$out/LICENSE.htmx"
cp node_modules/echarts/LICENSE "$out/LICENSE.echarts"
echo "assets: $(ls "$out" | wc -l) files in $out"
