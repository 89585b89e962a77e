#!/usr/bin/env bash
# Trains the agent's default models from the clips in ../shared/clips (or $1), as shipped in libs/model/weights:
# the video model for fire and smoke, the pose-fall model, then each one's thresholds for a budget of 1 false
# alarm per camera-hour on the val split. About 75 minutes on 2 CPU cores from an empty cache.
set -euo pipefail
cd "$(dirname "$0")/../../.."
CLIPS="${1:-../shared/clips}"
PY=/usr/bin/python3
npm run build --silent
"$PY" libs/model/training/train.py --recipe window --epochs 8 --size 128 --ema 0.998 --select ap --select-classes fire,smoke --clips "$CLIPS"
"$PY" libs/model/training/train.py --recipe pose --clips "$CLIPS"
npm run build --silent
node dist/scripts/eval.js "$CLIPS" --split val --budget 1 --write-card libs/model/weights/vigil-pose-fall.card.json --out .cache/eval/default-pose
node dist/scripts/eval.js "$CLIPS" --split val --budget 1 --write-card libs/model/weights/vigil-vit-tiny.card.json --out .cache/eval/default-video
npm run build --silent
echo "default models trained; npm run eval -- $CLIPS --split val reports them"
