package actuators

import (
	"fmt"
	"sort"
	"sync"
)

// Output names one output an Actuator will drive, as configured.
type Output struct {
	Name string // "pan", "tilt", "laser"
	Kind Kind
}

// Factory builds the Actuator for one output. Factories are closures made by
// cmd/cattease around the buses and pins it opened and the per-output
// settings it decoded; the registry never opens hardware itself.
type Factory func(o Output) (Actuator, error)

// Registry maps driver names ("mock", "pca9685", "sysfspwm", "gpio") to
// factories. Register every driver before the first Open; afterwards the
// registry is frozen. Safe for concurrent use.
type Registry struct {
	mu     sync.Mutex
	m      map[string]Factory
	frozen bool // set by the first Open; Register refuses after it
}

// Register adds a driver. It fails on an empty or duplicate name, a nil
// factory, or after the registry has been used to Open an output.
func (r *Registry) Register(driver string, f Factory) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case driver == "":
		return fmt.Errorf("actuators: register: empty driver name")
	case f == nil:
		return fmt.Errorf("actuators: register %q: nil factory", driver)
	case r.frozen:
		return fmt.Errorf("actuators: register %q: registry already in use", driver)
	}
	if _, dup := r.m[driver]; dup {
		return fmt.Errorf("actuators: register %q: already registered", driver)
	}
	if r.m == nil {
		r.m = make(map[string]Factory)
	}
	r.m[driver] = f
	return nil
}

// Open builds the actuator for o with the named driver.
func (r *Registry) Open(driver string, o Output) (Actuator, error) {
	r.mu.Lock()
	r.frozen = true
	f, ok := r.m[driver]
	r.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("actuators: unknown driver %q (have %v)", driver, r.Drivers())
	}
	a, err := f(o)
	if err != nil {
		return nil, fmt.Errorf("actuators: open %s %q with %s: %w", o.Kind, o.Name, driver, err)
	}
	return a, nil
}

// Drivers lists the registered driver names, sorted.
func (r *Registry) Drivers() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.m))
	for k := range r.m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
