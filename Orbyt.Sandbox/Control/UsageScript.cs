using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Control;

public sealed record UsageScript(UsageOverride? App, Dictionary<string, UsageOverride>? Business);
