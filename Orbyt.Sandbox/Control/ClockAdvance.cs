namespace Orbyt.Sandbox.Control;

public sealed record ClockAdvance(double Seconds);
