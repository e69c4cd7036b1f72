#!/usr/bin/env bash
# Regenerates test/fixtures/lockfiles/<tool>-<version>[-variant]/ with the real package managers.
#
# Each fixture dir keeps only what the tool wrote (the lockfile) plus the inputs it was given
# (package.json, workspace member package.json files, pnpm-workspace.yaml). node_modules is
# deleted. npm's hidden lockfile `node_modules/.package-lock.json` is kept as
# `node_modules_/.package-lock.json`, because the repo's .gitignore ignores every `node_modules/`.
#
# Tools (install once; TOOLS defaults to /root/.cache/scratch-e2e):
#   pnpm 10.34.9  node_modules/.bin/pnpm of this repo
#   pnpm 12.21.0  npm install --prefix $TOOLS/pnpm-12.21.0 pnpm@12.21.0
#   npm           the system npm (11.19.1 when the fixtures were made)
#   yarn 1        npm install --prefix $TOOLS/yarn1 yarn@1
#   yarn 4        npm install --prefix $TOOLS/yarn4 @yarnpkg/cli-dist@4
#   bun           npm install --prefix $TOOLS/bun bun
#   pnpm 8        npm install --prefix $TOOLS/pnpm8 pnpm@8   (lockfileVersion '6.0')
#   deno          npm install --prefix $TOOLS/deno deno
#
# Needs the npm registry. Every tool runs with an isolated HOME/XDG_* under a temp dir.
# Usage: scripts/gen-lockfile-fixtures.sh [tool ...]
#   tools: pnpm10 pnpm12 npm yarn1 yarn4 bun pnpm8 deno pnpmshapes yarnshapes pnpmcfghook
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/test/fixtures/lockfiles
TOOLS=${TOOLS:-/root/.cache/scratch-e2e}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

export HOME=$WORK/home
export XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache XDG_DATA_HOME=$HOME/.local/share XDG_STATE_HOME=$HOME/.local/state
export PNPM_HOME=$HOME/.local/share/pnpm
export CI=1 npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
mkdir -p "$HOME"

PNPM10=$ROOT/node_modules/.bin/pnpm
PNPM12=$TOOLS/pnpm-12.21.0/node_modules/.bin/pnpm
YARN1=$TOOLS/yarn1/node_modules/.bin/yarn
YARN4="node $TOOLS/yarn4/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
BUN=$TOOLS/bun/node_modules/.bin/bun
PNPM8=$TOOLS/pnpm8/node_modules/.bin/pnpm
DENO=$TOOLS/deno/node_modules/.bin/deno

# --- project templates ----------------------------------------------------------------------

# single DIR LOCALSPEC [LINKSPEC]: one project with a registry dep that has deps (is-odd), a plain
# dep (is-number), a scoped dep, an npm alias, a peer-dependent pair and a local folder dep.
single() {
  local dir=$1 localspec=$2 linkspec=${3:-}
  mkdir -p "$dir/local-dep"
  echo '{ "name": "local-dep", "version": "1.0.0" }' > "$dir/local-dep/package.json"
  local link=''
  if [ -n "$linkspec" ]; then
    mkdir -p "$dir/linked-dep"
    echo '{ "name": "linked-dep", "version": "1.0.0" }' > "$dir/linked-dep/package.json"
    link=",
    \"linked-dep\": \"$linkspec\""
  fi
  cat > "$dir/package.json" <<EOF
{
  "name": "lockdemo",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "is-odd": "3.0.1",
    "is-number": "7.0.0",
    "@sindresorhus/is": "4.6.0",
    "my-odd": "npm:is-odd@0.1.2",
    "react": "18.3.1",
    "react-dom": "18.3.1",
    "local-dep": "$localspec"$link
  }
}
EOF
}

# workspace DIR WSPROTO: root + packages/a (is-odd) + packages/b (@ws/b: a via WSPROTO, scoped dep).
workspace() {
  local dir=$1 wsproto=$2
  mkdir -p "$dir/packages/a" "$dir/packages/b"
  cat > "$dir/package.json" <<EOF
{
  "name": "ws-root",
  "version": "1.0.0",
  "private": true,
  "workspaces": ["packages/*"],
  "devDependencies": { "is-number": "7.0.0" }
}
EOF
  cat > "$dir/packages/a/package.json" <<EOF
{ "name": "ws-a", "version": "1.0.0", "dependencies": { "is-odd": "3.0.1" } }
EOF
  cat > "$dir/packages/b/package.json" <<EOF
{ "name": "@ws/b", "version": "1.0.0", "dependencies": { "ws-a": "$wsproto", "@sindresorhus/is": "4.6.0" } }
EOF
}

# hook_pnpmfile DIR: a .pnpmfile.cjs whose afterAllResolved dumps its argument (the in-memory
# lockfile object) to DIR/afterAllResolved.json.
hook_pnpmfile() {
  cat > "$1/.pnpmfile.cjs" <<'EOF'
const fs = require('fs')
const path = require('path')
module.exports = {
  hooks: {
    afterAllResolved (lockfile) {
      fs.writeFileSync(path.join(__dirname, 'afterAllResolved.json'), JSON.stringify(lockfile, null, 2) + '\n')
      return lockfile
    },
  },
}
EOF
}

pnpm_workspace_yaml() { printf 'packages:\n  - packages/*\n' > "$1/pnpm-workspace.yaml"; }

# keep DIR NAME: copy the inputs and lockfiles of DIR into $OUT/NAME.
keep() {
  local src=$1 dst=$OUT/$2
  rm -rf "$dst"; mkdir -p "$dst"
  (cd "$src" && find . -name node_modules -prune -o -type f \( -name package.json -o -name pnpm-workspace.yaml \
      -o -name pnpm-lock.yaml -o -name package-lock.json -o -name npm-shrinkwrap.json -o -name yarn.lock \
      -o -name bun.lock -o -name bun.lockb -o -name bunfig.toml -o -name .yarnrc.yml -o -name .pnpmfile.cjs \
      -o -name afterAllResolved.json -o -name deno.json -o -name deno.lock -o -name '*.patch' \) -print) |
    while read -r f; do mkdir -p "$dst/$(dirname "$f")"; cp "$src/$f" "$dst/$f"; done
  if [ -f "$src/node_modules/.package-lock.json" ]; then
    mkdir -p "$dst/node_modules_"; cp "$src/node_modules/.package-lock.json" "$dst/node_modules_/"
  fi
  # The installed manifests of dependencies known to the lockfile only by alias (KEEP_INSTALLED).
  for alias in ${KEEP_INSTALLED:-}; do
    mkdir -p "$dst/node_modules_/$alias"; cp "$src/node_modules/$alias/package.json" "$dst/node_modules_/$alias/"
  done
  # Other files the install wrote that a test needs (KEEP_EXTRA: globs relative to DIR).
  for pattern in ${KEEP_EXTRA:-}; do
    (cd "$src" && for f in $pattern; do mkdir -p "$dst/$(dirname "$f")"; cp "$f" "$dst/$f"; done)
  done
  echo "wrote $dst"
}

fresh() { local d=$WORK/p/$1; rm -rf "$d"; mkdir -p "$d"; echo "$d"; }

# --- generators -----------------------------------------------------------------------------

# pnpm_common PNPM: the single, workspace and hook fixtures every pnpm version gets.
pnpm_common() {
  local pnpm=$1 v; v=$("$pnpm" --version)
  local d; d=$(fresh "pnpm$v")
  single "$d" file:./local-dep link:./linked-dep
  (cd "$d" && "$pnpm" install --no-frozen-lockfile) && keep "$d" "pnpm-$v"
  d=$(fresh "pnpm${v}ws"); workspace "$d" 'workspace:*'; pnpm_workspace_yaml "$d"
  (cd "$d" && "$pnpm" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-workspace"
  d=$(fresh "pnpm${v}hook"); single "$d" file:./local-dep link:./linked-dep; hook_pnpmfile "$d"
  (cd "$d" && "$pnpm" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-hook"
  d=$(fresh "pnpm${v}hookws"); workspace "$d" 'workspace:*'; pnpm_workspace_yaml "$d"; hook_pnpmfile "$d"
  (cd "$d" && "$pnpm" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-hook-workspace"
}

gen_pnpm10() {
  pnpm_common "$PNPM10"
  local v; v=$("$PNPM10" --version)
  local d; d=$(fresh pnpm10empty)
  echo '{ "name": "empty", "version": "1.0.0" }' > "$d/package.json"
  (cd "$d" && "$PNPM10" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-empty"
}

gen_pnpm12() {
  pnpm_common "$PNPM12"
  local v; v=$("$PNPM12" --version)
  local d
  # A config dependency makes pnpm 11+/12 write the two-document lockfile.
  d=$(fresh pnpm12cfg); single "$d" file:./local-dep link:./linked-dep
  (cd "$d" && "$PNPM12" add --config is-number@7.0.0 && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-configdeps"
  d=$(fresh pnpm12cfgws); workspace "$d" 'workspace:*'; pnpm_workspace_yaml "$d"
  (cd "$d" && "$PNPM12" add --config is-number@7.0.0 && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-configdeps-workspace"
  # Experimental JSON-like lockfile (12.19.0+).
  d=$(fresh pnpm12v13); single "$d" file:./local-dep link:./linked-dep
  printf 'lockfile:\n  format: v13\n' > "$d/pnpm-workspace.yaml"
  (cd "$d" && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-v13"
  d=$(fresh pnpm12v13ws); workspace "$d" 'workspace:*'; pnpm_workspace_yaml "$d"
  printf 'lockfile:\n  format: v13\n' >> "$d/pnpm-workspace.yaml"
  (cd "$d" && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-v13-workspace"
  # v13 main document after a v9-shaped config dependency document.
  d=$(fresh pnpm12v13cfg); single "$d" file:./local-dep link:./linked-dep
  printf 'lockfile:\n  format: v13\n' > "$d/pnpm-workspace.yaml"
  (cd "$d" && "$PNPM12" add --config is-number@7.0.0 && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-v13-configdeps"
}

gen_npm() {
  local v; v=$(npm --version)
  local d; d=$(fresh npm)
  single "$d" file:./local-dep
  (cd "$d" && npm install) && keep "$d" "npm-$v"
  d=$(fresh npmws); workspace "$d" '1.0.0'
  (cd "$d" && npm install) && keep "$d" "npm-$v-workspace"
  d=$(fresh npmshrink); single "$d" file:./local-dep
  (cd "$d" && npm install && npm shrinkwrap && rm -f node_modules/.package-lock.json) && keep "$d" "npm-$v-shrinkwrap"
  for lv in 1 2; do
    d=$(fresh "npmv$lv"); single "$d" file:./local-dep
    (cd "$d" && npm install --lockfile-version "$lv" && rm -f node_modules/.package-lock.json) && keep "$d" "npm-$v-lockfile-v$lv"
  done
}

gen_yarn1() {
  local v; v=$("$YARN1" --version)
  local d; d=$(fresh yarn1)
  single "$d" file:./local-dep
  (cd "$d" && "$YARN1" install --no-progress --non-interactive) && keep "$d" "yarn-$v"
  d=$(fresh yarn1ws); workspace "$d" '1.0.0'
  (cd "$d" && "$YARN1" install --no-progress --non-interactive) && keep "$d" "yarn-$v-workspace"
}

gen_yarn4() {
  local v; v=$($YARN4 --version)
  export YARN_ENABLE_GLOBAL_CACHE=0 YARN_ENABLE_TELEMETRY=0 YARN_NODE_LINKER=node-modules YARN_ENABLE_IMMUTABLE_INSTALLS=0
  local d; d=$(fresh yarn4)
  single "$d" file:./local-dep
  (cd "$d" && touch yarn.lock && $YARN4 install) && keep "$d" "yarn-$v"
  d=$(fresh yarn4ws); workspace "$d" 'workspace:*'
  (cd "$d" && touch yarn.lock && $YARN4 install) && keep "$d" "yarn-$v-workspace"
}

gen_bun() {
  local v; v=$("$BUN" --version)
  local d; d=$(fresh bun)
  single "$d" file:./local-dep
  (cd "$d" && "$BUN" install) && keep "$d" "bun-$v"
  d=$(fresh bunws); workspace "$d" 'workspace:*'
  (cd "$d" && "$BUN" install) && keep "$d" "bun-$v-workspace"
  # The binary lockfile, still written when asked for.
  d=$(fresh bunb); single "$d" file:./local-dep
  printf '[install]\nsaveTextLockfile = false\n' > "$d/bunfig.toml"
  (cd "$d" && "$BUN" install) && keep "$d" "bun-$v-lockb"
}

# A config dependency no other package of the project uses (is-even), with the in-memory
# lockfile pnpm passes to afterAllResolved, which leaves config dependencies out.
gen_pnpmcfghook() {
  local v; v=$("$PNPM12" --version)
  local d; d=$(fresh pnpm12cfghook)
  echo '{ "name": "cfghook", "version": "1.0.0", "private": true, "dependencies": { "is-odd": "3.0.1" } }' > "$d/package.json"
  hook_pnpmfile "$d"
  (cd "$d" && "$PNPM12" add --config is-even@1.0.0 && "$PNPM12" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-configdeps-hook"
}

gen_pnpm8() {
  local v; v=$("$PNPM8" --version)
  local d; d=$(fresh pnpm8)
  single "$d" file:./local-dep link:./linked-dep
  (cd "$d" && "$PNPM8" install --no-frozen-lockfile) && keep "$d" "pnpm-$v"
  d=$(fresh pnpm8ws); workspace "$d" 'workspace:*'; pnpm_workspace_yaml "$d"
  (cd "$d" && "$PNPM8" install --no-frozen-lockfile) && keep "$d" "pnpm-$v-workspace"
}

gen_deno() {
  local v; v=$("$DENO" --version | head -1 | cut -d' ' -f2)
  local d; d=$(fresh deno)
  cat > "$d/deno.json" <<'EOF'
{ "imports": { "is-odd": "npm:is-odd@3.0.1", "@sindresorhus/is": "npm:@sindresorhus/is@4.6.0", "react-dom": "npm:react-dom@18.3.1" } }
EOF
  echo 'import isOdd from "is-odd"; import is from "@sindresorhus/is"; import "react-dom"; console.log(isOdd(3), is.string("x"))' > "$d/main.js"
  (cd "$d" && DENO_DIR=$WORK/deno-cache "$DENO" install --entrypoint main.js) && keep "$d" "deno-$v"
}

# pnpm_shapes DIR: what real workspaces contain besides registry ranges (catalog:, workspace:,
# link:, file:, a patch) and a member whose package.json starts with a BOM and has an optional peer.
pnpm_shapes() {
  local dir=$1
  mkdir -p "$dir/linked-dep" "$dir/local-dep" "$dir/packages/member" "$dir/patches"
  echo '{ "name": "linked-dep", "version": "1.0.0" }' > "$dir/linked-dep/package.json"
  echo '{ "name": "local-dep", "version": "1.0.0" }' > "$dir/local-dep/package.json"
  cat > "$dir/package.json" <<'EOF'
{
  "name": "shapes-root",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "is-odd": "catalog:",
    "is-number": "7.0.0",
    "ws-member": "workspace:*",
    "linked-dep": "link:./linked-dep",
    "local-dep": "file:./local-dep",
    "is-even": "1.0.0"
  }
}
EOF
  printf '\xef\xbb\xbf{"name":"ws-member","version":"1.0.0","dependencies":{"is-number":"catalog:"},"peerDependencies":{"typescript":"*"},"peerDependenciesMeta":{"typescript":{"optional":true}}}\n' > "$dir/packages/member/package.json"
  printf 'packages:\n  - packages/*\ncatalog:\n  is-odd: 3.0.1\n  is-number: 7.0.0\npatchedDependencies:\n  is-even@1.0.0: patches/is-even@1.0.0.patch\n' > "$dir/pnpm-workspace.yaml"
  printf 'diff --git a/index.js b/index.js\n--- a/index.js\n+++ b/index.js\n@@ -1,3 +1,4 @@\n+// patched\n /*!\n  * is-even <https://github.com/jonschlinkert/is-even>\n  *\n' > "$dir/patches/is-even@1.0.0.patch"
}

gen_pnpmshapes() {
  local pnpm d v
  for pnpm in "$PNPM10" "$PNPM12"; do
    v=$("$pnpm" --version); d=$(fresh "pnpm${v}shapes"); pnpm_shapes "$d"
    (cd "$d" && "$pnpm" install --no-frozen-lockfile --ignore-scripts) && keep "$d" "pnpm-$v-shapes"
  done
}

# yarn_shapes DIR: a tarball URL under an alias, a file: directory under another name, and a
# workspace member whose package.json starts with a BOM and has an optional peer.
yarn_shapes() {
  local dir=$1
  mkdir -p "$dir/local-dep" "$dir/packages/member"
  echo '{ "name": "real-local", "version": "1.0.0" }' > "$dir/local-dep/package.json"
  cat > "$dir/package.json" <<'EOF'
{
  "name": "yshapes-root",
  "version": "1.0.0",
  "private": true,
  "workspaces": ["packages/*"],
  "dependencies": {
    "is-odd": "3.0.1",
    "even-tar": "https://registry.npmjs.org/is-even/-/is-even-1.0.0.tgz",
    "local-alias": "file:./local-dep"
  }
}
EOF
  printf '\xef\xbb\xbf{"name":"ws-member","version":"1.0.0","dependencies":{"is-number":"7.0.0"},"peerDependencies":{"typescript":"*"},"peerDependenciesMeta":{"typescript":{"optional":true}}}\n' > "$dir/packages/member/package.json"
}

gen_yarnshapes() {
  local d v
  v=$("$YARN1" --version); d=$(fresh yarn1shapes); yarn_shapes "$d"
  (cd "$d" && "$YARN1" install --no-progress --non-interactive --ignore-scripts) && KEEP_INSTALLED="even-tar local-alias" keep "$d" "yarn-$v-shapes"
  export YARN_ENABLE_GLOBAL_CACHE=0 YARN_ENABLE_TELEMETRY=0 YARN_NODE_LINKER=node-modules YARN_ENABLE_IMMUTABLE_INSTALLS=0
  v=$($YARN4 --version); d=$(fresh yarn4shapes); yarn_shapes "$d"
  (cd "$d" && touch yarn.lock && $YARN4 install) && KEEP_INSTALLED="even-tar local-alias" keep "$d" "yarn-$v-shapes"
  # Plug'n'Play: no node_modules; the real name of even-tar is inside its cache zip. The PnP data
  # goes to .pnp.data.json (kept) instead of being inlined in .pnp.cjs (yarn's runtime, not kept).
  d=$(fresh yarn4shapespnp); yarn_shapes "$d"
  (cd "$d" && touch yarn.lock && YARN_NODE_LINKER=pnp YARN_PNP_ENABLE_INLINING=false $YARN4 install) &&
    KEEP_EXTRA=".pnp.data.json .yarn/cache/even-tar-*.zip" keep "$d" "yarn-$v-shapes-pnp" &&
    # Of the package's cache zip only its package.json is kept (the fixture needs no package code).
    python3 -c 'import sys, zipfile
p = sys.argv[1]; z = zipfile.ZipFile(p); keep = [(i, z.read(i)) for i in z.infolist() if i.filename.endswith("/package.json")]; z.close()
with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
    [out.writestr(i, data) for i, data in keep]' "$OUT/yarn-$v-shapes-pnp"/.yarn/cache/even-tar-*.zip
}

for t in "${@:-pnpm10 pnpm12 npm yarn1 yarn4 bun pnpm8 deno pnpmshapes yarnshapes pnpmcfghook}"; do
  for tool in $t; do "gen_$tool"; done
done
