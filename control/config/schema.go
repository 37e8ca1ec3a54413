package config

import (
	"github.com/cattease/cattease/actuators/servo"
	"gopkg.in/yaml.v3"
)

// File is the whole of rules.yaml. Every section is optional except axes
// or switches to drive and at least one command; the zero value of each
// field is the documented default.
type File struct {
	Version   int               `yaml:"version"`
	Hardware  Hardware          `yaml:"hardware"`
	Safety    Safety            `yaml:"safety"`
	Sources   Sources           `yaml:"sources"`
	Play      Play              `yaml:"play"`
	Limits    Limits            `yaml:"limits"`
	Commands  []Command         `yaml:"commands"`
	Sequences map[string][]Step `yaml:"sequences"`
	Audit     Audit             `yaml:"audit"`
	Web       Web               `yaml:"web"`
	// Moderation and Gifts are the room's rules: who may be muted or
	// given the rig, and what gifts buy.
	Moderation Moderation `yaml:"moderation"`
	Gifts      Gifts      `yaml:"gifts"`
	MQTT       MQTT       `yaml:"mqtt"`

	name  string            // the file name errors are reported under
	where map[string][2]int // field path → line, column
	raw   *File             // as decoded, before defaults (OnRig validates again)
}

// At returns an Error positioned at the field path (such as
// "commands[2].aliases[0]"), or at its closest written parent, for problems
// found after loading.
func (f *File) At(path, msg string) Error {
	w := &walker{where: map[string]*yaml.Node{}}
	for p, lc := range f.where {
		w.where[p] = &yaml.Node{Line: lc[0], Column: lc[1]}
	}
	return w.locate(f.name, problem{path, msg})
}

// Hardware describes the outputs and how they are driven.
type Hardware struct {
	// Driver drives the servos: "pca9685" (default), "sysfspwm" or "mock".
	// --dry-run replaces every driver with the mock, keeping every limit.
	Driver string `yaml:"driver"`
	// Rig says what the servos move: "laser" (a laser pointer: the eye
	// protections are required) or "wand" (a feather wand on a stick: no
	// laser switch, and the lever-arm limits — accel, duty, release — are
	// required on every axis). "" = laser when a switch is a laser, else a
	// plain servo rig. See Kind.
	Rig      string            `yaml:"rig"`
	PCA9685  PCA9685           `yaml:"pca9685"`
	SysfsPWM SysfsPWM          `yaml:"sysfspwm"`
	Axes     map[string]Axis   `yaml:"axes"`
	Switches map[string]Switch `yaml:"switches"`
}

// PCA9685 is the I²C servo board (Adafruit servo HAT/bonnet and clones).
type PCA9685 struct {
	I2CBus     string    `yaml:"i2c_bus"`    // default "1"
	Address    int       `yaml:"address"`    // default 0x40
	Oscillator Frequency `yaml:"oscillator"` // default 25MHz
}

// SysfsPWM is the kernel PWM (/sys/class/pwm) servo driver.
type SysfsPWM struct {
	Root string `yaml:"root"` // default /sys/class/pwm
	Chip string `yaml:"chip"` // device name, e.g. "1f00098000.pwm" (Pi 5)
}

// Axis is one servo axis (pan, tilt, a wand) and its motion limits.
type Axis struct {
	// Role says what the axis aims: "pan" (left/right), "tilt" (near/far,
	// towards the horizon) or "" for any other axis. A rig with a laser
	// has exactly one pan and one tilt axis; the ceiling applies to tilt.
	Role        string   `yaml:"role"`
	Min         Angle    `yaml:"min"`
	Max         Angle    `yaml:"max"`
	Home        Angle    `yaml:"home"`
	Speed       Speed    `yaml:"speed"`        // default 90°/s
	Accel       Accel    `yaml:"accel"`        // 0 = no acceleration limit
	DetachAfter Duration `yaml:"detach_after"` // idle time before pulses stop; default 2s
	// Duty caps the axis's motion time in any sliding window, so that
	// back-and-forth play cannot overheat the servo; nil = no cap.
	// Required on a wand rig.
	Duty  *Duty `yaml:"duty"`
	Servo Servo `yaml:"servo"`
}

// Duty is a sliding-window cap on an axis's motion time: the axis moves
// for at most Max within any Window, then rests.
type Duty struct {
	Max    Duration `yaml:"max"`
	Window Duration `yaml:"window"`
}

// Servo is the calibration of one servo.
type Servo struct {
	Channel  int      `yaml:"channel"`   // PCA9685 channel 0–15 or kernel PWM channel
	PulseMin Duration `yaml:"pulse_min"` // default 1ms
	PulseMax Duration `yaml:"pulse_max"` // default 2ms
	AngleMin *Angle   `yaml:"angle_min"` // default -90°; a written 0° is 0°
	AngleMax *Angle   `yaml:"angle_max"` // default 90°
	Invert   bool     `yaml:"invert"`
	Trim     Angle    `yaml:"trim"`
}

// Calibration is the servo calibration in the drivers' terms.
func (a Axis) Calibration() servo.Calibration {
	s := a.Servo
	return servo.Calibration{PulseMin: s.PulseMin.D(), PulseMax: s.PulseMax.D(),
		AngleMin: float64(deref(s.AngleMin, -90)), AngleMax: float64(deref(s.AngleMax, 90)), Invert: s.Invert, Trim: float64(s.Trim)}
}

// Switch is an on/off output: a laser, a treat dispenser, a relay.
type Switch struct {
	// Laser says whether the switch drives a laser, to which the ceiling,
	// keep-out zones, dwell cap, daily budget and sessions apply. Every
	// switch must say it, true or false: a forgotten line must not turn
	// eye protection off (unset counts as a laser, see IsLaser).
	Laser     *bool    `yaml:"laser"`
	Pin       string   `yaml:"pin"` // e.g. GPIO17
	ActiveLow bool     `yaml:"active_low"`
	MaxOn     Duration `yaml:"max_on"`   // longest on-time in any max_on+cooldown; default 10s
	Cooldown  Duration `yaml:"cooldown"` // forced off-time after a capped period; a laser's defaults to max_on, at most MaxCooldown
}

// Safety holds the limits enforced below the rules.
type Safety struct {
	// DeadMan switches switches off, homes and detaches after this long
	// without an accepted command; default 60s.
	DeadMan Duration `yaml:"dead_man"`
	// Aim names the axes that aim the laser. The axes' roles decide; aim,
	// if written, must name the same axes (default: the role axes, else
	// pan and tilt). Use File.AimAxes.
	Aim Aim `yaml:"aim"`
	// Ceiling is a tilt the dot never reaches, below the horizon (90°);
	// required with a laser. The tilt axis stops CeilingMargin below it.
	Ceiling *Angle `yaml:"ceiling"`
	// KeepOut lists zones the lit dot never enters or crosses.
	KeepOut []Zone `yaml:"keep_out"`
	// KeepOutMargin keeps the lit dot this far from every zone, as the
	// angle the beam turns (near straight down a zone grows by far more
	// pan); default 0, below MaxKeepOutMargin.
	KeepOutMargin Angle `yaml:"keep_out_margin"`
	// DwellCap: a lit dot still for longer goes dark; default 5s. 0 (off)
	// is refused when there is a laser.
	DwellCap *Duration `yaml:"dwell_cap"`
	// DwellRadius: the dot counts as still while the beam stays within
	// this angle of where it stopped; default 1°, at most MaxDwellRadius.
	DwellRadius *Angle `yaml:"dwell_radius"`
	// DailyLaser caps the lasers' total on-time per day; default
	// DefaultDailyLaser, at most a day. 0 (no cap) is refused when there is
	// a laser.
	DailyLaser *Duration `yaml:"daily_laser"`
	// StateFile keeps the day's laser account across restarts; a relative
	// path is inside the state directory (StateDir), never beside
	// rules.yaml. Default cattease-state.json. Use File.LedgerPath.
	StateFile string `yaml:"state_file"`
	// Timezone is the streamer's (IANA name, e.g. Asia/Shanghai) for quiet
	// hours and the daily budget; default the system's.
	Timezone string   `yaml:"timezone"`
	Sessions Sessions `yaml:"sessions"`
	Autoplay Autoplay `yaml:"autoplay"`
}

// Aim names the pan and tilt axes.
type Aim struct {
	Pan  string `yaml:"pan"`
	Tilt string `yaml:"tilt"`
}

// Zone is a keep-out rectangle: pan: [from, to], tilt: [from, to].
type Zone struct {
	Name string  `yaml:"name"`
	Pan  []Angle `yaml:"pan"`
	Tilt []Angle `yaml:"tilt"`
}

// Sessions shape play into healthy sessions; all optional.
type Sessions struct {
	MaxPlay      Duration   `yaml:"max_play"`    // 0 = no sessions
	Rest         Duration   `yaml:"rest"`        // break after a session
	QuietHours   QuietHours `yaml:"quiet_hours"` // e.g. "23:00-08:00"
	Park         *Point     `yaml:"park"`        // where a session ends; default home
	Treat        string     `yaml:"treat"`       // switch pulsed at the end of a session
	TreatFor     Duration   `yaml:"treat_for"`
	TreatsPerDay int        `yaml:"treats_per_day"`
}

// Point is a spot in pan/tilt space.
type Point struct {
	Pan  Angle `yaml:"pan"`
	Tilt Angle `yaml:"tilt"`
}

// Autoplay plays on its own when chat is quiet.
type Autoplay struct {
	After    Duration `yaml:"after"` // 0 = off
	Patterns []string `yaml:"patterns"`
	Laser    bool     `yaml:"laser"`
}

// Sources configures the chat platforms; flags override.
type Sources struct {
	Bilibili     Bilibili     `yaml:"bilibili"`
	BilibiliOpen BilibiliOpen `yaml:"bilibili_open"`
	Douyu        Douyu        `yaml:"douyu"`
}

// BilibiliOpen is the Bilibili Open Platform (直播开放平台): the
// streamer's 身份码 and the developer app it runs under. The access key
// secret is only ever read from a file, so that rules.yaml can be shared.
type BilibiliOpen struct {
	Code                string `yaml:"code"`                   // the streamer's 身份码; or --bilibili-code
	AppID               int64  `yaml:"app_id"`                 // the app (项目) id
	AccessKeyID         string `yaml:"access_key_id"`          // the developer's access_key_id
	AccessKeySecretFile string `yaml:"access_key_secret_file"` // file holding access_key_secret; never logged
	API                 string `yaml:"api"`                    // "" = https://live-open.biliapi.com
}

// Set reports whether any field is given.
func (b BilibiliOpen) Set() bool { return b != BilibiliOpen{} }

// Bilibili is a Bilibili live room.
type Bilibili struct {
	Room       string `yaml:"room"`
	CookieFile string `yaml:"cookie_file"` // browser cookie (SESSDATA…); never logged
	API        string `yaml:"api"`         // base URL of the HTTP endpoints; "" = Bilibili's
}

// Douyu is a Douyu live room.
type Douyu struct {
	Room       string `yaml:"room"`
	Addr       string `yaml:"addr"`        // "" = danmuproxy rotation; or ws://, wss://, tcp://
	API        string `yaml:"api"`         // room-id lookups; "" = douyu.com, "off" = none
	KeepRobots bool   `yaml:"keep_robots"` // keep chat the website hides
}

// Play is the play policy: how accepted commands reach the hardware.
type Play struct {
	// Policy is "queue" (default: a paced FIFO), "latest" (a new command
	// replaces the one waiting), "vote" (commands are votes; each window
	// runs the most-voted) or "fair" (one waiting command per viewer,
	// served in turn).
	Policy    string   `yaml:"policy"`
	QueueSize int      `yaml:"queue_size"` // default 16
	Pace      Duration `yaml:"pace"`       // minimum spacing between commands; default 150ms
	Vote      Vote     `yaml:"vote"`
	Meter     Meter    `yaml:"meter"`
	Combo     Combo    `yaml:"combo"`
}

// Limits are the chat rate limits.
type Limits struct {
	Global       Rate     `yaml:"global"`
	UserCooldown Duration `yaml:"user_cooldown"`
	Bypass       []string `yaml:"bypass"`     // roles that skip user and command cooldowns
	MaxUsers     int      `yaml:"max_users"`  // bound on per-user state; default 10000
	MaxRepeat    int      `yaml:"max_repeat"` // default cap on 左3-style repeats; default 5
}

// Rate is a token bucket: one token every Every, at most Burst saved.
type Rate struct {
	Every Duration `yaml:"every"`
	Burst int      `yaml:"burst"`
}

// Command is one chat command.
type Command struct {
	Name      string   `yaml:"name"`
	Aliases   []string `yaml:"aliases"`
	Regex     string   `yaml:"regex"`
	Do        Action   `yaml:"do"`
	Allow     Allow    `yaml:"allow"`
	Cooldown  Duration `yaml:"cooldown"`
	MaxRepeat int      `yaml:"max_repeat"`
	// Label is what the overlay, panel and terminal show for the command:
	// one word, or {zh: 逗猫棒, en: Wand}. See File.Labels.
	Label Label `yaml:"label"`
}

// Action is what a command does; exactly one verb is set.
type Action struct {
	Move     string   `yaml:"move"` // axis name, with By or To
	By       *Angle   `yaml:"by"`
	To       *Angle   `yaml:"to"`
	Switch   string   `yaml:"switch"` // switch name, with On (and For)
	On       *bool    `yaml:"on"`
	For      Duration `yaml:"for"`
	Sequence string   `yaml:"sequence"`
	Home     bool     `yaml:"home"`
	Stop     bool     `yaml:"stop"`   // emergency stop until resumed
	Resume   bool     `yaml:"resume"` // undo stop
	// Moderate is a moderator's action (see ModerateVerbs): 禁言 NAME
	// [DURATION], 包场 NAME [DURATION], pause, laser_forbid, policy NAME...
	// The command must be allowed to moderators or the owner only.
	Moderate string `yaml:"moderate"`
	// PolicyVote is a viewer's vote on the policy meter: "vote" for the
	// vote policy, "free" for play.policy.
	PolicyVote string `yaml:"policy_vote"`
}

// Step is one step of a sequence: an action, or a wait, or both (the
// action first, then the wait).
type Step struct {
	Action `yaml:",inline"`
	Wait   Duration `yaml:"wait"`
}

// Audit is the decision log.
type Audit struct {
	File string `yaml:"file"` // JSONL; "" = none
}

// Web is the overlay and control panel server.
type Web struct {
	Listen    string `yaml:"listen"`     // default 127.0.0.1:8080; "off" disables
	TokenFile string `yaml:"token_file"` // default cattease-token next to rules.yaml
}

// IsLaser reports whether the switch is a laser. A switch that does not
// say counts as one, whatever its name (validation refuses it anyway); the
// name is not consulted.
func (s Switch) IsLaser(name string) bool {
	return s.Laser == nil || *s.Laser
}
