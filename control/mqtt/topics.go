package mqtt

// Topics are one rig's topic names.
type Topics struct {
	Base, Rig string
}

func (t Topics) root() string { return t.Base + "/" + t.Rig }

// Availability is the bridge's online/offline topic (retained, its will).
func (t Topics) Availability() string { return t.root() + "/availability" }

// State is the bridge's retained JSON state.
func (t Topics) State() string { return t.root() + "/state" }

// Set is the command topic of one command.
func (t Topics) Set(command string) string { return t.root() + "/set/" + command }

// AgentAvailability is the agent's online/offline topic.
func (t Topics) AgentAvailability() string { return t.root() + "/agent/availability" }

// AgentState carries the agent's rig snapshot to the run side.
func (t Topics) AgentState() string { return t.root() + "/agent/state" }

// Request carries requests from the run side to the agent.
func (t Topics) Request() string { return t.root() + "/agent/req" }

// Report carries the agent's reports back.
func (t Topics) Report() string { return t.root() + "/agent/rep" }

// Heartbeat carries the run side's heartbeats.
func (t Topics) Heartbeat() string { return t.root() + "/agent/hb" }

// The command topics' last level.
const (
	CmdEStop   = "estop"   // any payload: emergency stop
	CmdResume  = "resume"  // any payload: end the stop
	CmdChat    = "chat"    // ON | OFF: chat control (OFF = paused)
	CmdLaser   = "laser"   // ON | OFF: the laser permission
	CmdPattern = "pattern" // a command's name from rules.yaml, e.g. 画圈
	CmdPolicy  = "policy"  // queue | latest | vote | fair
)

// Commands lists the command topics' last levels.
func Commands() []string {
	return []string{CmdEStop, CmdResume, CmdChat, CmdLaser, CmdPattern, CmdPolicy}
}
