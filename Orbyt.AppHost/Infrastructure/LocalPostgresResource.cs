namespace Orbyt.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL as a local executable. postgres/initdb refuse to run as root, so as root they run as the
/// <c>postgres</c> user through <c>setpriv</c> (which execs, so DCP still tracks the real server process).
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public string DataDirectory { get; } = dataDirectory;
    public ParameterResource Password { get; } = password;
    public EndpointReference PrimaryEndpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}
