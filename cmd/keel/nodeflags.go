package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/node"
	"github.com/rs/zerolog"
)

// nodeFlags are the settings of keel node and keel devnet, each defined
// once here, as op-service's CLIConfig does: the two commands share this
// set, and the config file, the environment and the command line all set
// the same flags. Reading them is one step (flag > env > file > default,
// see configFile.applyFile), checking them another (config), as pebble keeps
// EnsureDefaults apart from Validate.
type nodeFlags struct {
	fs     *flag.FlagSet
	devnet bool

	cf *configFile

	dataDir, keysDir, watchChannels, watchL1Key       *string
	watchFallback                                     *uint64
	rpcAddr, metricsAddr, adminAddr, adminSecret      *string
	explorer                                          *bool
	l1RPC, seqKey, rollup                             *string
	natsListen, natsURL, natsCreds, natsCA            *string
	natsTLSCert, natsTLSKey, logLevel                 *string
	rateLimit                                         *float64
	rateBurst, depth, slots, natsReplicas, maxDeliver *int
	localProvers                                      *int
	chainID, confirmations                            *uint64
	batchTimeout, ackWait                             *time.Duration
	natsInsecure, logJSON                             *bool
	l1Port                                            *int    // devnet only
	exodusDelay                                       *uint64 // devnet only
	noDevKeys                                         *bool   // devnet only
}

// defineNodeFlags defines the node's flags on fs with def's defaults.
// The devnet adds the settings only a devnet has: its embedded L1's port,
// the exodus delay of the Rollup it deploys, and turning dev keys off.
func defineNodeFlags(fs *flag.FlagSet, def node.Config, devnet bool) *nodeFlags {
	f := &nodeFlags{fs: fs, devnet: devnet}
	f.cf = addConfigFlags(fs, f.name(), nodeConfigSections)
	f.dataDir = fs.String("datadir", def.DataDir, "data `dir` (rollup state, deployment, operator key"+map[bool]string{true: ", L1 chain, proving keys)", false: ")"}[devnet])
	f.rpcAddr = fs.String("rpc-addr", def.RPCAddr, "JSON-RPC listen `address` (HTTP and WebSocket)")
	f.explorer = fs.Bool("explorer", def.Explorer, "serve the web explorer and wallet at / on the JSON-RPC port")
	f.metricsAddr = fs.String("metrics-addr", def.MetricsAddr, "Prometheus metrics listen `address`; empty turns metrics off")
	f.rateLimit = fs.Float64("rpc-rate-limit", def.RPCRateLimit, "JSON-RPC calls per second allowed to one connection (a WebSocket, or one IP over HTTP); 0 turns the limit off")
	f.rateBurst = fs.Int("rpc-rate-burst", def.RPCRateBurst, "calls one connection may make at once before --rpc-rate-limit applies")
	f.adminAddr = fs.String("admin-addr", "", "serve the admin_ JSON-RPC namespace (admin_sealBatch, admin_nodeInfo) on this `address`, behind JWT auth; empty keeps it off")
	f.adminSecret = fs.String("admin-jwt-secret", "", "`file` with the admin API's 32-byte hex JWT secret (default: <datadir>/admin.jwt, created if missing)")
	if devnet {
		f.l1Port = fs.Int("l1-port", def.L1.HTTPPort, "the embedded L1's JSON-RPC `port` on 127.0.0.1 (HTTP and WebSocket)")
		f.l1RPC = fs.String("l1-rpc", "", "use this Ethereum JSON-RPC `URL` instead of the embedded L1 (needs --sequencer-key and --rollup)")
		f.seqKey = defineSequencerKeyFlag(fs, " (default: the embedded L1's first dev account)")
		f.rollup = fs.String("rollup", "", "deployed Rollup contract `address` (default: deploy on first start)")
		f.exodusDelay = fs.Uint64("exodus-delay", def.ExodusDelay, "for a Rollup this devnet deploys: L1 `BLOCKS` a deposit may wait before anyone can switch the Rollup into exodus mode")
		f.noDevKeys = fs.Bool("no-dev-keys", false, "refuse a local Groth16 setup: keys must come from a ceremony (in --keys-dir)")
	} else {
		f.l1RPC = fs.String("l1-rpc", "", "the Ethereum JSON-RPC `URL` of the L1 (required)")
		f.seqKey = defineSequencerKeyFlag(fs, "; the one keel deploy used (required)")
		f.rollup = fs.String("rollup", "", "the Rollup contract `address`, when the data dir has no deployment.json from keel deploy")
	}
	f.chainID, f.depth, f.slots = defineChainFlags(fs, def)
	f.batchTimeout = fs.Duration("batch-timeout", def.BatchTimeout, "seal a non-empty batch this long after its first transaction")
	f.confirmations = fs.Uint64("l1-confirmations", def.L1Confirmations, "L1 blocks a deposit waits for, and a commit before it counts as final")
	f.watchChannels = fs.String("watch-channels", "", "comma-separated channel store `dirs` (keel channel --channel-store) whose channels the node guards: it answers a stale close with the latest co-signed state; the stores must not be in use by a keel channel command")
	f.watchL1Key = fs.String("watch-l1-key", "", "hex L1 private `key` that pays the --watch-channels watchers' L1 fallback: a challenge L2 has not taken within --watch-fallback-blocks is filed in the Rollup's priority queue (not the sequencer key)")
	f.watchFallback = fs.Uint64("watch-fallback-blocks", 0, "L1 `BLOCKS` a watcher's L2 challenge may go unsequenced before it is filed on L1 (0: statechan's default)")
	if devnet {
		f.keysDir = fs.String("keys-dir", "", "proving-key `dir` (default: <datadir>/keys)")
	} else {
		f.keysDir = fs.String("keys-dir", "", "the ceremony's sealed keys `dir` (keel ceremony seal --keys-dir; default: <datadir>/keys)")
	}
	f.natsListen = fs.String("nats-listen", def.Fleet.Listen, "where the embedded NATS server takes prover workers (`address`); empty serves the node's own provers only")
	f.natsURL = fs.String("nats-url", "", "use this NATS server or cluster (`URL`, nats:// or tls://) for the prover fleet instead of the embedded one (needs --nats-creds)")
	f.natsCreds = fs.String("nats-creds", "", "credentials `file` for --nats-url: JSON {\"user\": ..., \"password\": ...}, mode 0600")
	f.natsCA = fs.String("nats-ca", "", "CA certificate `file` to trust for a tls:// --nats-url whose certificate is self-signed")
	f.natsTLSCert = fs.String("nats-tls-cert", "", "TLS certificate `file` for the embedded NATS listener (needed to listen beyond loopback)")
	f.natsTLSKey = fs.String("nats-tls-key", "", "TLS key `file` for --nats-tls-cert")
	f.natsInsecure = fs.Bool("nats-allow-insecure-remote", false, "let the embedded NATS listen beyond loopback without TLS: credentials and jobs cross the network in plaintext")
	f.natsReplicas = fs.Int("nats-replicas", def.Fleet.Topology.Replicas, "replicas of the fleet's streams (`N`; 3 on a three-server cluster)")
	f.ackWait = fs.Duration("nats-ack-wait", def.Fleet.Topology.AckWait, "how long a job waits for a worker that stopped sending heartbeats before another worker gets it")
	f.maxDeliver = fs.Int("nats-max-deliver", def.Fleet.Topology.MaxDeliver, "deliveries of a job before it goes to the dead letters (`N`)")
	f.localProvers = fs.Int("local-provers", def.Fleet.LocalProvers, "proofs the node runs at once itself (`N`), as one worker of its own queue; 0 leaves proving to keel prover workers")
	f.logJSON = fs.Bool("log-json", false, "log JSON lines instead of the console format")
	f.logLevel = fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	return f
}

// defineChainFlags defines the L2's rules, which keel node, keel devnet and
// keel deploy share: the chain id, the tree depth and the batch size.
func defineChainFlags(fs *flag.FlagSet, def node.Config) (chainID *uint64, depth, slots *int) {
	chainID = fs.Uint64("chain-id", def.ChainID, "L2 chain `id`, bound into every signature")
	depth = fs.Int("depth", def.Depth, "state tree `depth` (2^depth accounts)")
	slots = fs.Int("slots", def.Slots, "steps per batch (the circuit's size: 8 proves in about 5 s on 2 cores, 32 in about 18 s)")
	return chainID, depth, slots
}

// defineSequencerKeyFlag defines --sequencer-key, the L1 key that deploys
// the contracts and submits batches; what says what it does here.
func defineSequencerKeyFlag(fs *flag.FlagSet, what string) *string {
	return fs.String("sequencer-key", "", "hex L1 private `key` that submits batches"+what)
}

func (f *nodeFlags) name() string {
	if f.devnet {
		return "devnet"
	}
	return "node"
}

// nodeConfigSections are the TOML sections of keel node's config file.
var nodeConfigSections = []string{"l1", "rpc", "metrics", "admin", "nats", "log"}

// configFile is a long-running command's --config and --print-config:
// a TOML file that sets the command's own flags. A flag lives in the
// section its prefix names (--nats-listen is [nats] listen); the others
// are top-level keys. The flags' parsers are the only parsers.
type configFile struct {
	fs       *flag.FlagSet
	cmd      string // "node", "devnet", "prover"
	sections []string
	path     *string
	print    *bool
}

// addConfigFlags adds --config and --print-config to fs.
func addConfigFlags(fs *flag.FlagSet, cmd string, sections []string) *configFile {
	return &configFile{fs: fs, cmd: cmd, sections: sections,
		path:  fs.String("config", "", "TOML config `file` (keel "+cmd+" --print-config writes one); flags and environment variables win over it"),
		print: fs.Bool("print-config", false, "print the configuration these flags, variables and file give, as a commented TOML file, and exit"),
	}
}

// notInConfigFile are flags the file does not set: the common client
// flags, and the flags about the file itself.
var notInConfigFile = map[string]bool{"rpc": true, "json": true, "config": true, "print-config": true}

// key is flag name's place in the config file.
func (c *configFile) key(flagName string) (section, key string) {
	for _, s := range c.sections {
		if k, ok := strings.CutPrefix(flagName, s+"-"); ok {
			return s, k
		}
	}
	return "", flagName
}

// secretFlags are never printed by --print-config.
var secretFlags = map[string]bool{"sequencer-key": true, "watch-l1-key": true}

// apply reads --config, if it is set: see applyFile.
func (c *configFile) apply() error {
	if *c.path == "" {
		return nil
	}
	return c.applyFile(*c.path)
}

// applyFile sets, from the TOML file at path, every flag that the command
// line and the environment left alone, so that flag > env > file >
// default. Every problem in the file is named, all at once.
func (c *configFile) applyFile(path string) error {
	var raw map[string]any
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		return fmt.Errorf("--config %s: %w", path, err)
	}
	set := map[string]bool{}
	c.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	byKey := map[string]*flag.Flag{}
	c.fs.VisitAll(func(fl *flag.Flag) {
		if !notInConfigFile[fl.Name] {
			sec, key := c.key(fl.Name)
			byKey[strings.TrimPrefix(sec+"."+key, ".")] = fl
		}
	})
	var errs []error
	for _, k := range md.Keys() {
		name := k.String()
		v := any(raw)
		for _, part := range k {
			m, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = m[part]
		}
		if _, isTable := v.(map[string]any); isTable {
			if !slices.Contains(c.sections, name) {
				errs = append(errs, fmt.Errorf("[%s]: no such section (keel %s has %s)", name, c.cmd, strings.Join(c.sections, ", ")))
			}
			continue
		}
		fl, ok := byKey[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: no such setting in keel %s (keel %s --print-config lists them)", name, c.cmd, c.cmd))
			continue
		}
		if set[fl.Name] {
			continue
		}
		s, err := configValueString(v)
		if err == nil {
			err = c.fs.Set(fl.Name, s)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s = %v: %s (%s)", name, v, valueHint(fl, err), strings.TrimSpace(firstSentence(fl.Usage))))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("--config %s:\n%w", path, err)
	}
	return nil
}

// write prints the flags' current values as a commented TOML file that
// --config reads back to the same settings (secrets excepted).
func (c *configFile) write(w io.Writer) error {
	fmt.Fprintf(w, "# keel %s configuration. Precedence: flag > environment variable > this file > default.\n", c.cmd)
	fmt.Fprintf(w, "# Each setting names its flag and variable; keel %s --config FILE reads this file.\n", c.cmd)
	bySection := map[string][]*flag.Flag{}
	c.fs.VisitAll(func(fl *flag.Flag) {
		if !notInConfigFile[fl.Name] {
			sec, _ := c.key(fl.Name)
			bySection[sec] = append(bySection[sec], fl)
		}
	})
	for _, sec := range append([]string{""}, c.sections...) {
		if len(bySection[sec]) == 0 {
			continue
		}
		if sec != "" {
			fmt.Fprintf(w, "\n[%s]\n", sec)
		}
		for _, fl := range bySection[sec] {
			_, key := c.key(fl.Name)
			_, usage := flag.UnquoteUsage(fl)
			fmt.Fprintf(w, "\n# %s\n# (--%s, %s)\n", usage, fl.Name, envVar(c.fs.Name(), fl.Name))
			if secretFlags[fl.Name] {
				fmt.Fprintf(w, "# %s = \"\"  # a secret: set it through %s rather than in a file\n", key, envVar(c.fs.Name(), fl.Name))
				continue
			}
			v, err := tomlValue(fl)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s = %s\n", key, v)
		}
	}
	return nil
}

// configValueString is a TOML value as the flag's Set reads it; an array
// of strings is the comma-separated list --watch-channels takes.
func configValueString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok || strings.Contains(s, ",") {
				return "", fmt.Errorf("want a list of strings without commas")
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("a TOML %T is not a value this setting takes", v)
}

// valueHint says what a flag takes, for a value it refused: the flag
// package's own errors say only "parse error".
func valueHint(fl *flag.Flag, err error) string {
	g, ok := fl.Value.(flag.Getter)
	if !ok {
		return err.Error()
	}
	switch g.Get().(type) {
	case bool:
		return "want true or false"
	case int:
		return "want an integer"
	case uint64:
		return "want an integer, 0 or more"
	case float64:
		return "want a number"
	case time.Duration:
		return `want a duration such as "2s" or "1m30s"`
	}
	return err.Error()
}

func firstSentence(s string) string {
	s, _, _ = strings.Cut(s, ";")
	return s
}

// tomlValue is a flag's current value as a TOML literal.
func tomlValue(fl *flag.Flag) (string, error) {
	g, ok := fl.Value.(flag.Getter)
	if !ok {
		return "", fmt.Errorf("--%s: no typed value", fl.Name)
	}
	switch v := g.Get().(type) {
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case float64:
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return s, nil
	case time.Duration:
		return tomlString(v.String()), nil
	case string:
		return tomlString(v), nil
	default:
		return "", fmt.Errorf("--%s: a %T has no TOML form here", fl.Name, v)
	}
}

// tomlString quotes s as a TOML basic string: JSON's escapes are TOML's.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// config turns the flags into a node configuration, checking every
// setting and naming every problem before anything runs.
func (f *nodeFlags) config(base func(dataDir string) node.Config) (node.Config, zerolog.Level, error) {
	var errs []error
	cfg := base(*f.dataDir)
	lvl, err := zerolog.ParseLevel(*f.logLevel)
	if err != nil || *f.logLevel == "" {
		errs = append(errs, fmt.Errorf("--log-level %q: use debug, info, warn or error", *f.logLevel))
	}
	cfg.RPCAddr, cfg.MetricsAddr, cfg.Explorer = *f.rpcAddr, *f.metricsAddr, *f.explorer
	cfg.RPCRateLimit, cfg.RPCRateBurst = *f.rateLimit, *f.rateBurst
	cfg.AdminAddr, cfg.AdminJWTSecret = *f.adminAddr, *f.adminSecret
	if f.devnet {
		cfg.L1.HTTPPort, cfg.L1.WSPort = *f.l1Port, *f.l1Port
		cfg.ExodusDelay = *f.exodusDelay
		cfg.DevKeys = !*f.noDevKeys
	}
	cfg.L1RPC = *f.l1RPC
	cfg.ChainID, cfg.Depth, cfg.Slots = *f.chainID, *f.depth, *f.slots
	cfg.BatchTimeout, cfg.L1Confirmations = *f.batchTimeout, *f.confirmations
	if *f.batchTimeout <= 0 {
		errs = append(errs, fmt.Errorf("--batch-timeout %s: must be positive", *f.batchTimeout))
	}
	for _, d := range strings.Split(*f.watchChannels, ",") {
		if d = strings.TrimSpace(d); d != "" {
			if _, err := os.Stat(d); err != nil {
				errs = append(errs, fmt.Errorf("--watch-channels: no channel store at %s (%v): give the --channel-store of a keel channel command", d, err))
				continue
			}
			cfg.WatchChannels = append(cfg.WatchChannels, d)
		}
	}
	cfg.Fleet.Listen, cfg.Fleet.URL, cfg.Fleet.Creds, cfg.Fleet.CA = *f.natsListen, *f.natsURL, *f.natsCreds, *f.natsCA
	cfg.Fleet.TLSCert, cfg.Fleet.TLSKey, cfg.Fleet.AllowInsecureRemote = *f.natsTLSCert, *f.natsTLSKey, *f.natsInsecure
	cfg.Fleet.Topology.Replicas, cfg.Fleet.Topology.AckWait, cfg.Fleet.Topology.MaxDeliver = *f.natsReplicas, *f.ackWait, *f.maxDeliver
	cfg.Fleet.LocalProvers = *f.localProvers
	if *f.keysDir != "" {
		cfg.KeysDir = *f.keysDir
	}
	if *f.seqKey != "" {
		k, err := crypto.HexToECDSA(strings.TrimPrefix(*f.seqKey, "0x"))
		if err != nil {
			errs = append(errs, fmt.Errorf("--sequencer-key is not a hex secp256k1 private key: %v", err))
		}
		cfg.SequencerKey = k
	}
	if *f.watchL1Key != "" {
		k, err := crypto.HexToECDSA(strings.TrimPrefix(*f.watchL1Key, "0x"))
		if err != nil {
			errs = append(errs, fmt.Errorf("--watch-l1-key is not a hex secp256k1 private key: %v", err))
		}
		cfg.ChannelL1Key = k
	}
	cfg.ChannelFallbackBlocks = *f.watchFallback
	if *f.rollup != "" {
		if !common.IsHexAddress(*f.rollup) {
			errs = append(errs, fmt.Errorf("--rollup %q is not an address", *f.rollup))
		}
		cfg.Rollup = common.HexToAddress(*f.rollup)
	}
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return cfg, lvl, fmt.Errorf("keel %s: the configuration has problems:\n%w", f.name(), err)
	}
	return cfg, lvl, nil
}
