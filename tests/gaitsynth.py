"""A synthetic treadmill runner for the gait tests: a 2D pose whose gait is known exactly.

The runner is a 3D stick figure on a treadmill, seen by an orthographic camera beside it (side
view) or behind it (rear view). Lengths are in pixels; the leg length `leg` (hip–knee plus
knee–ankle, what `metrics.leg_length` measures) is a quarter of the image height.

How the prescribed values are made exactly true (in the 2D picture the metrics read):

- Timing: the left foot strikes at `first_strike_s` + k·stride, the right one half a stride later;
  each contact lasts `duty_factor` of a stride, so with a duty factor under 50 % there is a flight
  phase and no double support.
- Stance: the foot lands on its heel (toes up), rolls flat, then lifts its heel and pushes off
  from the toes. The point touching the ground moves backwards at the belt speed, so the foot's
  lowest point stays exactly on the ground line. The heel lands `overstride_pct` of the leg
  length ahead of the hip joint.
- Knee: thigh and shank are rigid (half the leg length each) and the knee bends forwards, so the
  knee angle follows from the hip–ankle distance. The pelvis height is what makes the knee
  flexion `knee_flexion_strike_deg` at foot strike and `knee_flexion_mid_deg` at midstance (the
  instant the ankle passes under the hip, the metrics' own definition). Per step the hips follow a
  cosine through those two heights, lowest at mid-contact and highest in flight: they bounce
  twice per stride (~9 % of the leg with the defaults). Little overstride, or knee angles far
  apart or very different between the sides, make the hips drop fast around the strike; the
  generator refuses a bounce over `MAX_BOUNCE` or a leg that cannot reach its foot.
- Trunk: pelvis centre to shoulder centre, leaning forwards by `trunk_lean_deg` (the angle seen
  from the side) and towards the stance side by `lateral_lean_deg` (seen from behind), the latter
  a half sine over each contact, peaking at mid-contact.
- Pelvic drop: in each contact the pelvis pivots about the stance hip so that the swing-side hip
  drops by a half sine over the contact, peaking at mid-contact at `pelvic_drop_deg`.
- Camera roll: the whole image rotated about its centre; + = clockwise on screen (image-right
  side lower), the sign `metrics.camera_roll` reports.

Side-dependent options take one number for both sides or a `(left, right)` pair (the value in
that side's stance). The swing of the foot is a smooth spline between toe-off and the next strike;
it is plausible, not measured, and no metric is read from it. Its ends set how early or late a
kinematic event detector sees the events: the ankle leaves the ground rising at 1.5 leg lengths
per second and comes down at 0.8, moving back at 60 % of the belt speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import CubicSpline  # type: ignore[import-untyped]

from glutecoach.domain.gait.pose import INDEX, JOINTS, LOWER_LIMB, SIDES, PoseSequence, View

PerSide = float | tuple[float, float]  # one value for both sides, or (left, right)
Array = NDArray[np.float64]

# Body proportions, as shares of the leg length (hip–knee + knee–ankle).
THIGH = 0.5
SHANK = 0.5
PELVIS_WIDTH = 0.2  # hip joint centre to hip joint centre
SHOULDER_WIDTH = 0.42
TRUNK = 0.6  # pelvis centre to shoulder centre
HEAD = 0.25  # shoulder centre to nose, along the trunk
ANKLE_HEIGHT = 0.09  # ankle above the sole
HEEL_BACK = 0.07  # heel behind the ankle
TOES_FRONT = 0.22  # toes ahead of the ankle

# The foot in stance, as the angle of its sole from the ground (degrees, + = toes up).
STRIKE_FOOT_DEG = 10.0  # heel strike
TOE_OFF_FOOT_DEG = -35.0  # heel lifted, pushing off from the toes
FLAT_AT = 0.15  # share of the contact when the foot is flat
HEEL_RISE_AT = 0.5  # share of the contact when the heel starts to rise

CONTACT_LENGTH = 0.72  # how far the belt carries the foot during a contact, leg lengths

MAX_BOUNCE = 0.16  # the most vertical oscillation of the hips a runner plausibly has, leg lengths

GROUND = 0.85  # the ground line, as a share of the image height from the top
LEG_SHARE = 0.25  # the leg length as a share of the image height


@dataclass(frozen=True)
class SyntheticRun:
    """The pose, what is true about it, and the noise-free model to read other truths from."""

    pose: PoseSequence
    view: View
    leg_px: float
    step_s: float  # time from one foot strike to the other foot's
    contact_s: float  # each ground contact's true duration
    strikes: dict[str, Array]  # true foot-strike times in the clip, per side
    toe_offs: dict[str, Array]  # true toe-off times in the clip, per side
    runner: _Runner

    @property
    def cadence_spm(self) -> float:
        return 60.0 / self.step_s

    def clean_xy(self, times: Array) -> Array:
        """The noise-free image positions (T, J, 2) at any times, e.g. the true strike times."""
        return self.runner.image(np.asarray(times, dtype=np.float64))


def synthetic_run(
    *,
    view: View = View.side,
    cadence_spm: float = 170.0,
    duration_s: float = 12.0,
    fps: float = 60.0,
    duty_factor: float = 0.35,
    speed_leg_per_s: float | None = None,
    pelvic_drop_deg: PerSide = 0.0,
    knee_flexion_strike_deg: PerSide = 20.0,
    knee_flexion_mid_deg: PerSide = 40.0,
    overstride_pct: PerSide = 10.0,
    trunk_lean_deg: float = 5.0,
    lateral_lean_deg: PerSide = 0.0,
    step_width_pct: float = 50.0,
    camera_roll_deg: float = 0.0,
    facing: int = 1,
    noise_px: float = 0.0,
    dropout_share: float = 0.0,
    first_strike_s: float | None = None,
    seed: int = 0,
    width: int = 720,
    height: int = 1280,
) -> SyntheticRun:
    """A treadmill runner filmed from the side or from behind.

    view: side (camera beside the treadmill) or rear (camera behind it).
    cadence_spm: steps per minute (both feet counted).
    duration_s: clip length, seconds. fps: frames per second.
    duty_factor: each foot's contact time as a share of a stride (0-1); < 0.5 is running.
    speed_leg_per_s: belt speed, leg lengths per second; by default the belt carries the foot
        `CONTACT_LENGTH` leg lengths during a contact (≈ 2.6 m/s for a 0.9 m leg at 170 steps/min).
    pelvic_drop_deg: swing-side hip drop at mid-contact, degrees, per stance side.
    knee_flexion_strike_deg / knee_flexion_mid_deg: knee flexion at foot strike / at midstance,
        degrees (0 = straight), per stance side.
    overstride_pct: heel ahead of the hip joint at foot strike, % of leg length, per side.
    trunk_lean_deg: forward lean of the trunk seen from the side, degrees.
    lateral_lean_deg: lean towards the stance side at mid-contact seen from behind, degrees.
    step_width_pct: ankle from the body's midline in stance, % of the pelvis width (50 = under
        the hip joint, the default, which keeps the leg in a sagittal plane).
    camera_roll_deg: the image rotated about its centre, degrees, + = image-right side lower.
    facing: side view: +1 the runner faces image-right, −1 image-left. Rear view: +1 the camera
        sees the runner's back (their right on image-right), −1 their front (a mirror image).
    noise_px: standard deviation of Gaussian noise on every coordinate, pixels.
    dropout_share: share of frames (0-1, chosen at random) where nobody is found: NaN, visibility 0.
    first_strike_s: time of the first left foot strike, seconds; by default a random phase.
    seed: for the noise, the dropouts and the default phase.
    width / height: image size, pixels.
    """
    if facing not in (1, -1):
        raise ValueError("facing is +1 or -1")
    rng = np.random.default_rng(seed)
    step_s = 60.0 / cadence_spm
    stride_s = 2 * step_s
    if first_strike_s is None:
        first_strike_s = float(rng.uniform(0, stride_s))
    runner = _Runner(
        view=view,
        leg=LEG_SHARE * height,
        stride_s=stride_s,
        contact_s=duty_factor * stride_s,
        first_strike_s=first_strike_s,
        speed=speed_leg_per_s or CONTACT_LENGTH / (duty_factor * stride_s),
        drop=_sides(pelvic_drop_deg),
        knee_strike=_sides(knee_flexion_strike_deg),
        knee_mid=_sides(knee_flexion_mid_deg),
        overstride=_sides(overstride_pct),
        trunk_lean=trunk_lean_deg,
        lateral_lean=_sides(lateral_lean_deg),
        step_width=step_width_pct,
        roll=camera_roll_deg,
        facing=facing,
        width=width,
        height=height,
    )
    times = np.arange(round(duration_s * fps)) / fps
    xy = runner.image(times)
    xy += rng.normal(0.0, noise_px, xy.shape) if noise_px > 0 else 0.0
    visibility = np.tile(runner.visibility(), (len(times), 1))
    lost = rng.random(len(times)) < dropout_share
    xy[lost] = np.nan
    visibility[lost] = 0.0
    strikes = {side: runner.events(side, 0.0, times[-1]) for side in SIDES}
    toe_offs = {side: runner.events(side, runner.contact_s, times[-1]) for side in SIDES}
    return SyntheticRun(
        pose=PoseSequence(times, xy, visibility, width, height),
        view=view,
        leg_px=runner.leg,
        step_s=step_s,
        contact_s=runner.contact_s,
        strikes=strikes,
        toe_offs=toe_offs,
        runner=runner,
    )


def synthetic_walk(
    *, cadence_spm: float = 110.0, duration_s: float = 12.0, fps: float = 60.0, seed: int = 0
) -> SyntheticRun:
    """A walk on the treadmill: long contacts (62 % of a stride) with double support.
    cadence_spm: steps per minute (110 an ordinary walk, 130 a brisk one)."""
    return synthetic_run(
        cadence_spm=cadence_spm,
        duration_s=duration_s,
        fps=fps,
        duty_factor=0.62,
        knee_flexion_strike_deg=8,
        knee_flexion_mid_deg=20,
        overstride_pct=15,
        trunk_lean_deg=2,
        seed=seed,
    )


def swap_legs(pose: PoseSequence, frames: list[int] | NDArray[np.int_]) -> PoseSequence:
    """The estimator's classic error: left and right leg joints exchanged in some frames."""
    xy, visibility = pose.xy.copy(), pose.visibility.copy()
    left = [INDEX[f"left_{part}"] for part in LOWER_LIMB]
    right = [INDEX[f"right_{part}"] for part in LOWER_LIMB]
    for f in frames:
        xy[f, left + right] = xy[f, right + left]
        visibility[f, left + right] = visibility[f, right + left]
    return replace(pose, xy=xy, visibility=visibility)


def _sides(value: PerSide) -> dict[str, float]:
    left, right = value if isinstance(value, tuple) else (value, value)
    return {"left": float(left), "right": float(right)}


def _smoothstep(x: Array) -> Array:
    """0 → 1 with zero slope at both ends (a half cosine)."""
    return np.asarray(0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0)), dtype=np.float64)


def _knee_span(flexion_deg: float) -> float:
    """Hip–ankle distance (share of leg length) for a knee flexion (law of cosines)."""
    flexion = math.radians(flexion_deg)
    return math.sqrt(THIGH**2 + SHANK**2 + 2 * THIGH * SHANK * math.cos(flexion))


@dataclass(frozen=True)
class _Runner:
    """The model, in leg lengths and seconds: X forward (0 = the hip joints), Y to the runner's
    left, Z up from the belt."""

    view: View
    leg: float  # pixels per leg length
    stride_s: float
    contact_s: float
    first_strike_s: float
    speed: float
    drop: dict[str, float]
    knee_strike: dict[str, float]
    knee_mid: dict[str, float]
    overstride: dict[str, float]
    trunk_lean: float
    lateral_lean: dict[str, float]
    step_width: float
    roll: float
    facing: int
    width: int
    height: int

    # --- timing ----------------------------------------------------------------------------

    def strike0(self, side: str) -> float:
        return self.first_strike_s + (0.0 if side == "left" else self.stride_s / 2)

    def events(self, side: str, offset_s: float, stop_s: float) -> Array:
        """Strike (offset 0) or toe-off (offset = contact) times of one foot up to `stop_s`."""
        start = self.strike0(side) + offset_s
        k = np.arange(math.floor(-start / self.stride_s), math.ceil(stop_s / self.stride_s) + 1)
        times = start + k * self.stride_s
        return np.asarray(times[(times >= 0) & (times <= stop_s)], dtype=np.float64)

    def since_strike(self, side: str, t: Array) -> Array:
        """Time since the foot's last strike, 0 ≤ u < stride."""
        return np.asarray(np.mod(t - self.strike0(side), self.stride_s), dtype=np.float64)

    # --- the stance foot ---------------------------------------------------------------------

    def foot_angle(self, u: Array) -> Array:
        """Sole angle in stance (radians, + = toes up) at time u since the strike."""
        share = u / self.contact_s
        landing = STRIKE_FOOT_DEG * (1 - _smoothstep(share / FLAT_AT))
        push = TOE_OFF_FOOT_DEG * _smoothstep((share - HEEL_RISE_AT) / (1 - HEEL_RISE_AT))
        return np.radians(landing + push)

    def stance_ankle(self, side: str, u: Array) -> tuple[Array, Array]:
        """Ankle X, Z in stance: the heel (then the toes) on the belt, moving back at its speed."""
        theta = self.foot_angle(u)
        heel_x0 = self.overstride[side] / 100
        heel_rise = HEEL_RISE_AT * self.contact_s
        heel_x = heel_x0 - self.speed * np.minimum(u, heel_rise)
        toes_x = heel_x0 + HEEL_BACK + TOES_FRONT - self.speed * u
        on_heel = u <= heel_rise
        pivot_x = np.where(on_heel, heel_x, toes_x)
        local_x = np.where(on_heel, -HEEL_BACK, TOES_FRONT)  # pivot from the ankle, foot frame
        local_z = -ANKLE_HEIGHT
        x = pivot_x - (local_x * np.cos(theta) - local_z * np.sin(theta))
        z = -(local_x * np.sin(theta) + local_z * np.cos(theta))
        return x, z

    def midstance(self, side: str) -> float:
        """Time since the strike when the ankle passes under the hip (X = 0)."""
        lo, hi = 0.0, self.contact_s
        if self.stance_ankle(side, np.array([lo]))[0][0] < 0:
            raise ValueError("the foot lands behind the hip: no midstance")
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if self.stance_ankle(side, np.array([mid]))[0][0] > 0 else (lo, mid)
        return (lo + hi) / 2

    # --- the swing foot ----------------------------------------------------------------------

    def swing_splines(self, side: str) -> tuple[CubicSpline, CubicSpline, CubicSpline]:
        """Ankle X, Z and sole angle from toe-off to the next strike, as splines of u."""
        tc, stride, eps = self.contact_s, self.stride_s, 1e-6
        end = np.array([tc - eps, tc])
        off_x, off_z = self.stance_ankle(side, end)
        strike_x, strike_z = self.stance_ankle(side, np.array([0.0]))
        swing = stride - tc
        knots = np.array([tc, tc + 0.35 * swing, tc + 0.75 * swing, stride])
        xs = [off_x[1], off_x[1] + 0.1, strike_x[0] + 0.05, strike_x[0]]
        zs = [off_z[1], 0.42, strike_z[0] + 0.12, strike_z[0]]
        angles = np.radians([TOE_OFF_FOOT_DEG, -20.0, 15.0, STRIKE_FOOT_DEG])
        x = CubicSpline(knots, xs, bc_type=((1, -0.3 * self.speed), (1, -0.6 * self.speed)))
        z = CubicSpline(knots, zs, bc_type=((1, 1.5), (1, -0.8)))
        angle = CubicSpline(knots, angles, bc_type=((1, 0.0), (1, 0.0)))
        return x, z, angle

    def foot(self, side: str, t: Array) -> tuple[Array, Array, Array]:
        """Ankle X, Z and sole angle at times t."""
        u = self.since_strike(side, t)
        stance = u < self.contact_s
        x, z = self.stance_ankle(side, u)
        angle = self.foot_angle(u)
        sx, sz, sa = self.swing_splines(side)
        return (
            np.where(stance, x, sx(u)),
            np.where(stance, z, sz(u)),
            np.where(stance, angle, sa(u)),
        )

    # --- the pelvis --------------------------------------------------------------------------

    def strike_height(self, side: str) -> float:
        """Hip height at this foot's strike that gives the prescribed knee flexion."""
        x, z = self.stance_ankle(side, np.array([0.0]))
        span = _knee_span(self.knee_strike[side])
        if abs(x[0]) >= span:
            raise ValueError("the leg cannot reach the heel: less overstride or less knee flexion")
        return float(z[0] + math.sqrt(span**2 - x[0] ** 2))

    def mid_height(self, side: str) -> float:
        _, z = self.stance_ankle(side, np.array([self.midstance(side)]))
        return float(z[0] + _knee_span(self.knee_mid[side]))

    def hip_height(self, t: Array) -> Array:
        """The hip joints' height (before any pelvic drop). Per step, a cosine lowest at
        mid-contact and highest in the flight, through the heights that give the prescribed knee
        flexion at strike and at midstance; after midstance a smooth ramp hands over to the next
        strike's height (which differs when the sides do)."""
        step = self.stride_s / 2
        k = np.floor((t - self.first_strike_s) / step).astype(int)
        phase = (t - self.first_strike_s) / step - k
        low = 0.5 * self.contact_s / step
        out = np.empty_like(t)
        for side, other, parity in (("left", "right", 0), ("right", "left", 1)):
            mine = np.mod(k, 2) == parity
            mid = self.midstance(side) / step
            h_strike, h_mid = self.strike_height(side), self.mid_height(side)
            amp = (h_strike - h_mid) / (
                math.cos(2 * math.pi * (mid - low)) - math.cos(2 * math.pi * low)
            )
            if abs(amp) > MAX_BOUNCE / 2:
                raise ValueError(
                    "the knee angles asked for would bounce the hips by more than "
                    f"{MAX_BOUNCE:.0%} of the leg: land further ahead or bend the knee less"
                )
            centre = h_strike + amp * math.cos(2 * math.pi * low)
            base = centre - amp * np.cos(2 * np.pi * (phase - low))
            ramp = _smoothstep((phase - mid) / (1 - mid))
            handover = (self.strike_height(other) - h_strike) * ramp
            out[mine] = (base + handover)[mine]
        return out

    # --- the whole body ----------------------------------------------------------------------

    def half_sine(self, side: str, t: Array) -> Array:
        """0 out of this foot's contacts, a half sine (peak 1 at mid-contact) during them."""
        u = self.since_strike(side, t)
        return np.where(u < self.contact_s, np.sin(np.pi * u / self.contact_s), 0.0)

    def body(self, t: Array) -> dict[str, Array]:
        """Every joint's 3D position (T, 3) at times t, in leg lengths."""
        lateral = {"left": 1.0, "right": -1.0}
        hip_z = self.hip_height(t)
        hips = {
            side: np.stack([np.zeros_like(t), np.full_like(t, s * PELVIS_WIDTH / 2), hip_z], 1)
            for side, s in lateral.items()
        }
        # Pelvic drop: in a contact the pelvis pivots about the stance hip, swing side down.
        for stance, swing in (("left", "right"), ("right", "left")):
            drop = np.radians(self.drop[stance]) * self.half_sine(stance, t)
            in_stance = self.since_strike(stance, t) < self.contact_s
            across = PELVIS_WIDTH * np.stack(
                [np.zeros_like(t), lateral[swing] * np.cos(drop), -np.sin(drop)], 1
            )
            hips[swing] = np.where(in_stance[:, None], hips[stance] + across, hips[swing])
        pelvis = (hips["left"] + hips["right"]) / 2

        lean = math.tan(math.radians(self.trunk_lean))
        sideways = sum(
            lateral[side] * np.tan(np.radians(self.lateral_lean[side]) * self.half_sine(side, t))
            for side in SIDES
        )
        trunk = np.stack([np.full_like(t, lean), sideways, np.ones_like(t)], 1)
        trunk *= TRUNK / np.linalg.norm(trunk, axis=1, keepdims=True)
        neck = pelvis + trunk
        joints = {"nose": neck + trunk * (HEAD / TRUNK) + np.array([0.06, 0.0, 0.0])}
        for side, s in lateral.items():
            joints[f"{side}_shoulder"] = neck + np.array([0.0, s * SHOULDER_WIDTH / 2, 0.0])
            joints[f"{side}_hip"] = hips[side]
            joints.update(self.leg_joints(side, hips[side], t, s))
        return joints

    def leg_joints(self, side: str, hip: Array, t: Array, lateral: float) -> dict[str, Array]:
        ankle_x, ankle_z, angle = self.foot(side, t)
        ankle_y = np.full_like(t, lateral * self.step_width / 100 * PELVIS_WIDTH)
        ankle = np.stack([ankle_x, ankle_y, ankle_z], 1)
        # The knee, bent forwards in the plane of the hip–ankle line and the forward direction.
        reach = ankle - hip
        span = np.linalg.norm(reach, axis=1)
        if np.any(span > THIGH + SHANK + 1e-9):
            raise ValueError("the leg cannot reach the foot: the gait asked for is not plausible")
        along = reach / span[:, None]
        forward = np.array([1.0, 0.0, 0.0]) - along[:, :1] * along
        forward /= np.linalg.norm(forward, axis=1, keepdims=True)
        cos_hip = np.clip((THIGH**2 + span**2 - SHANK**2) / (2 * THIGH * span), -1, 1)
        knee = hip + THIGH * (cos_hip[:, None] * along + np.sqrt(1 - cos_hip**2)[:, None] * forward)
        sole = np.stack([np.cos(angle), np.zeros_like(t), np.sin(angle)], 1)
        up = np.stack([-np.sin(angle), np.zeros_like(t), np.cos(angle)], 1)
        return {
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_heel": ankle - HEEL_BACK * sole - ANKLE_HEIGHT * up,
            f"{side}_foot_index": ankle + TOES_FRONT * sole - ANKLE_HEIGHT * up,
        }

    # --- the camera --------------------------------------------------------------------------

    def image(self, t: Array) -> Array:
        """(T, J, 2) image positions: projected, scaled, placed and rolled."""
        body = self.body(t)
        xyz = np.stack([body[name] for name in JOINTS], axis=1)
        if self.view == View.side:  # centre the stride: the feet reach ~0.8 back, ~0.3 ahead
            across = self.facing * (xyz[..., 0] + 0.25)
        else:  # from behind the runner's right (−Y) is on image-right
            across = -self.facing * xyz[..., 1]
        x = self.width / 2 + self.leg * across
        y = GROUND * self.height - self.leg * xyz[..., 2]
        roll = math.radians(self.roll)
        cx, cy = self.width / 2, self.height / 2
        rolled_x = cx + math.cos(roll) * (x - cx) - math.sin(roll) * (y - cy)
        rolled_y = cy + math.sin(roll) * (x - cx) + math.cos(roll) * (y - cy)
        return np.stack([rolled_x, rolled_y], axis=-1)

    def visibility(self) -> Array:
        """Per joint: the side nearer the camera seen better (side view), all alike from behind."""
        if self.view == View.rear:
            return np.full(len(JOINTS), 0.9)
        near = "right" if self.facing == 1 else "left"  # facing image-right shows the right side
        return np.array(
            [
                0.95 if not n.startswith(("left", "right")) or n.startswith(near) else 0.75
                for n in JOINTS
            ]
        )
