internal sealed record Args(string? ConnectionString, int Total, int Due, int Replicas, int Parallelism, int Batch)
{
    public static Args Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v) : fallback;
        return new Args(Value("--connection-string"), Int("--total", 100_000), Int("--due", 10_000), Int("--replicas", 1), Int("--parallelism", 16), Int("--batch", 500));
    }
}
