package config

// OnRig returns f as it runs on the rig built from rig: f's rules with
// rig's hardware and safety sections, which are read only at start. A
// reload applies a new file this way, so that it never half-applies a
// hardware or safety change: the commands, sequences and room of f are
// checked against the outputs and limits the rig really has, as
// validation checks a whole file. A command naming an output the rig does
// not have (a switch renamed in f) is a problem, positioned in f, that
// only a restart can fix. f and rig are files Parse accepted.
func (f *File) OnRig(rig *File) (*File, error) {
	g := *f
	g.Hardware, g.Safety = rig.Hardware, rig.Safety
	raw := g // a file not from Parse: its defaults stand for what was written
	if f.raw != nil && rig.raw != nil {
		raw = *f.raw
		raw.Hardware, raw.Safety = rig.raw.Hardware, rig.raw.Safety
	}
	g.raw = &raw
	v := &validator{raw: &raw}
	g.validate(v)
	var es Errors
	for _, p := range v.probs {
		e := g.At(p.path, p.msg)
		e.Msg += " on the running rig: restart to apply hardware changes"
		es = append(es, e)
	}
	if len(es) > 0 {
		sortErrors(es)
		return nil, es
	}
	return &g, nil
}
