namespace Orbyt.TestSupport;

/// <summary>The repository root, found by walking up from the test binaries to Orbyt.Aspire.sln (compiled into each test project).</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orbyt.Aspire.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Orbyt.Aspire.sln not found above " + AppContext.BaseDirectory);
    }
}
