#!/usr/bin/env bash
# Trains the tiles model shipped as libs/model/weights/vigil-vit-tiny-tiles (`model.card: builtin-tiles`): the window
# recipe with training crops down to 40 % of the picture, a card that says `views: tiles`, then its fire and smoke
# thresholds for a budget of 1 false alarm per camera-hour on the val split, scored with tiles. About 60 minutes on
# 2 CPU cores with the clip caches built (docs/model.md, *Tiles in the agent*).
set -euo pipefail
cd "$(dirname "$0")/../../.."
CLIPS="${1:-../shared/clips}"
OUT=.cache/training/tiles
PY=/usr/bin/python3
npm run build --silent
"$PY" libs/model/training/train.py --recipe window --epochs 8 --size 128 --ema 0.998 --select ap --select-classes fire,smoke \
  --crop-min 0.4 --name vigil-vit-tiny-tiles --out "$OUT" --clips "$CLIPS"
"$PY" -c "import json, sys; p = sys.argv[1]; c = json.load(open(p)); c['views'] = 'tiles'; json.dump(c, open(p, 'w'), indent=2)" \
  "$OUT/vigil-vit-tiny-tiles.card.json"
node dist/scripts/eval.js "$CLIPS" --split val --budget 1 --card "$OUT/vigil-vit-tiny-tiles.card.json" \
  --write-card "$OUT/vigil-vit-tiny-tiles.card.json" --out .cache/eval/tiles-video
echo "tiles model in $OUT; copy its .onnx and .card.json into libs/model/weights to ship it"
