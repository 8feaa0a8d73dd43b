using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Control;

/// <summary>POST /_sandbox/latency: the rules that replace the current ones, and the seed of their draws.</summary>
public sealed record LatencyRequest(LatencyRule[]? Rules, int? Seed);
