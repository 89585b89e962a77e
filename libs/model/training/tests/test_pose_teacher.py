"""The pose teacher's targets and loss (vigil_train/pose_teacher.py): `npm run model:test` (needs python3-torch)."""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vigil_train import pose_teacher as pt  # noqa: E402
from vigil_train.data import Clip, WindowSet  # noqa: E402
from vigil_train.loop import augment  # noqa: E402
from vigil_train.model import VideoViT, window_model_config  # noqa: E402

LEFT_WRIST, RIGHT_WRIST = 9, 10


def standing_person(frames: int = 8) -> np.ndarray:
    """One window of keypoints: a person upright at x = 0.27, the left wrist out at x = 0.11; a second window empty."""
    kp = np.zeros((2, frames, 17, 3), np.float32)
    kp[0, :, :, 0] = np.linspace(0.2, 0.8, 17)
    kp[0, :, :, 1] = 0.27
    kp[0, :, LEFT_WRIST, 1] = 0.11
    kp[0, :, :, 2] = 0.9
    return kp


def peak(m: torch.Tensor | np.ndarray) -> tuple:
    m = np.asarray(m)
    return tuple(int(v) for v in np.unravel_index(m.argmax(), m.shape))


class PoseTeacherTest(unittest.TestCase):
    def test_maps_put_the_box_and_keypoints_where_the_person_is(self):
        maps = pt.render_maps(standing_person(), 32)
        self.assertEqual(maps.shape, (2, 8, 18, 32, 32))
        rows, cols = np.nonzero(maps[0, 0, 0])
        self.assertTrue(rows.min() <= 6 and rows.max() >= 25, 'box spans the body from y 0.2 to 0.8')
        self.assertTrue(cols.min() >= 1 and cols.max() <= 9, 'box stays around x 0.11-0.27')
        self.assertEqual(peak(maps[0, 0, 1 + LEFT_WRIST]), (int(np.linspace(0.2, 0.8, 17)[LEFT_WRIST] * 32), 3))
        self.assertEqual(maps[1].sum(), 0, 'no person seen: every map is empty')

    def test_unseen_keypoints_and_too_few_give_no_box(self):
        kp = standing_person()
        kp[0, :, 3:, 2] = 0.1   # three keypoints seen: under MIN_SEEN
        maps = pt.render_maps(kp, 32)
        self.assertEqual(maps[0, :, 0].sum(), 0)
        self.assertEqual(maps[0, :, 1 + 5:].sum(), 0)
        self.assertGreater(maps[0, :, 1].sum(), 0)

    def test_a_mirrored_picture_mirrors_the_maps_and_swaps_left_and_right(self):
        maps = torch.from_numpy(pt.render_maps(standing_person(), 32))
        x = torch.zeros(2, 8, 3, 128, 128)
        for seed in range(20):
            if torch.rand(2, generator=torch.Generator().manual_seed(seed))[0] < 0.5:
                break
        _, moved = augment(x, torch.Generator().manual_seed(seed), torch.tensor([False, False]), 0.75, maps.clone(), pt.MAP_FLIP)
        self.assertEqual(peak(moved[0, 0, 1 + RIGHT_WRIST]), (peak(maps[0, 0, 1 + LEFT_WRIST])[0], 31 - 3))
        right = peak(maps[0, 0, 1 + RIGHT_WRIST])
        self.assertEqual(peak(moved[0, 0, 1 + LEFT_WRIST]), (right[0], 31 - right[1]))

    def test_the_maps_do_not_change_the_augmentation_of_the_frames(self):
        x = torch.randn(2, 8, 3, 64, 64)
        alone = augment(x.clone(), torch.Generator().manual_seed(3), torch.tensor([True, False]), 0.4)
        with_maps, _ = augment(x.clone(), torch.Generator().manual_seed(3), torch.tensor([True, False]), 0.4,
                               torch.from_numpy(pt.render_maps(standing_person(), 16)), pt.MAP_FLIP)
        self.assertTrue(torch.equal(alone, with_maps))

    def test_the_head_learns_from_labelled_windows_only(self):
        torch.manual_seed(0)
        model = VideoViT(window_model_config(8, 128)).eval()
        head = pt.PoseHead(96, 4, 8)
        x = torch.randn(2, 8, 3, 128, 128)
        tokens = model.tokens(x)
        self.assertTrue(torch.allclose(model.head(model.pool(tokens)), model(x)))
        maps = torch.from_numpy(pt.render_maps(standing_person(), 32))
        loss, parts = head.loss(tokens, maps, torch.tensor([True, False]))
        self.assertAlmostEqual(parts['keypoints'], np.log(64), delta=0.5)
        loss.backward()
        self.assertGreater(model.embed.weight.grad.abs().sum().item(), 0)
        none, parts = head.loss(tokens.detach(), maps, torch.tensor([False, False]))
        self.assertEqual(float(none), 0.0)

    def test_synthetic_windows_in_a_batch_are_not_taught(self):
        model = VideoViT(window_model_config(8, 128))
        labels = standing_person()[:1], np.array([True])
        teaching = pt.PoseTeaching(model, labels, 0.5)
        maps, known = teaching.maps(np.array([-1, 0]))
        self.assertEqual(known.tolist(), [False, True])
        self.assertEqual(maps.shape, (2, 8, 18, 32, 32))
        self.assertEqual(maps[0].sum().item(), 0)
        self.assertGreater(maps[1, :, 0].sum().item(), 0)

    def test_window_keypoints_follow_the_windows_of_each_clip_from_the_letterbox_to_the_squashed_frame(self):
        clip = Clip('/clips/fall/a.mp4', 'fall', 'train', 5.0, None)
        seq = np.zeros((11, 17, 3), np.float32)
        seq[:, :, 0] = 0.5                               # the middle of the letterboxed square
        seq[:, :, 1] = np.arange(11)[:, None] / 100      # frame number in x, to find the window's first frame
        seq[:, :, 2] = 0.9
        groups = np.array(['fall/a.mp4'] * 3 + ['fall/b.mp4'])
        real = WindowSet(np.zeros((4, 8, 4, 4, 3), np.uint8), np.zeros((4, 3), np.float32), groups, 'real')
        original = pt.clip_resolution
        pt.clip_resolution = lambda path: (400, 200)     # a 2:1 picture: rows 0.25-0.75 of the square
        try:
            kp, known = pt.window_keypoints(real, [clip], {'fall/a.mp4': seq}, 384, 8, 2)
        finally:
            pt.clip_resolution = original
        self.assertEqual(known.tolist(), [True, True, False, False])   # the third window runs past the keypoints; b has none
        self.assertAlmostEqual(float(kp[1, 0, 0, 1]), 0.02)             # window 1 starts at frame 2
        self.assertAlmostEqual(float(kp[0, 0, 0, 0]), 0.5)

    def test_letterbox_content(self):
        self.assertEqual(pt.letterbox_content(1920, 1080, 384), (0.21875, 0.0, 0.5625, 1.0))
        top, left, h, w = pt.letterbox_content(480, 640, 384)
        self.assertAlmostEqual(left, 0.125)
        self.assertEqual((top, h), (0.0, 1.0))


if __name__ == '__main__':
    unittest.main()
