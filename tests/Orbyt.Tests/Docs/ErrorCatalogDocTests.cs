using System.Text;
using Orbyt.Core.Errors;

namespace Orbyt.Tests.Docs;

/// <summary>
/// docs/errors.md is generated from <see cref="ErrorCatalog.All"/>. This test fails when the committed page differs from
/// what the catalog renders; run it with ORBYT_UPDATE_DOCS=1 to rewrite the page instead.
/// </summary>
public sealed class ErrorCatalogDocTests
{
    private const string RelativePath = "docs/errors.md";

    [Fact]
    public void The_committed_error_page_matches_the_catalog()
    {
        var path = Path.Combine(RepositoryRoot.Find(), RelativePath);
        var expected = Render(ErrorCatalog.All);

        if (Environment.GetEnvironmentVariable("ORBYT_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing; run the tests with ORBYT_UPDATE_DOCS=1 to generate it.");
        Assert.True(expected == File.ReadAllText(path).ReplaceLineEndings("\n"),
            $"{RelativePath} is out of date with ErrorCatalog; run `ORBYT_UPDATE_DOCS=1 dotnet test tests/Orbyt.Tests --filter ErrorCatalogDocTests` and commit it.");
    }

    [Fact]
    public void The_rendered_page_has_one_row_per_code()
    {
        var page = Render(ErrorCatalog.All);

        Assert.All(ErrorCatalog.All, e => Assert.Contains($"| `{e.Code}` |", page));
    }

    public static string Render(IReadOnlyList<ErrorDefinition> catalog)
    {
        var md = new StringBuilder();
        md.Append("# Error catalog\n\n")
          .Append("<!-- Generated from Orbyt.Core/Errors/ErrorCatalog.cs by tests/Orbyt.Tests/Docs/ErrorCatalogDocTests.cs. Do not edit by hand:\n")
          .Append("     change the catalog, then run `ORBYT_UPDATE_DOCS=1 dotnet test tests/Orbyt.Tests --filter ErrorCatalogDocTests`. -->\n\n")
          .Append("Every error leaves the API as `application/problem+json` with a stable `code` from this catalog; job errors and\n")
          .Append("webhook payloads carry the same codes. The same list is served at `GET /v1/errors` (public) and\n")
          .Append("`GET /v1/errors/{code}`. Codes are stable: they are added, never renamed.\n\n")
          .Append("That holds for every answer that is not a success, including the ones the server gives before the API reads a\n")
          .Append("request (an unreadable request line or header, `%00` in the path, a request line over 8 KB, headers over 32 KB):\n")
          .Append("their `trace_id` is then the server's connection id, as its log line shows it. Input rules that hold everywhere:\n")
          .Append("a body is `application/json` (anything else, or a body without `Content-Type`, is `unsupported_media_type`);\n")
          .Append("a property the request schema does not have, or a required one left out, is `validation_failed` naming it in\n")
          .Append("`errors` (`targets[0].platform`); text containing U+0000 (NUL) in the body or the query is\n")
          .Append("`validation_failed` naming the field, since PostgreSQL cannot store it (in the path, the server refuses it as\n")
          .Append("`malformed_request`).\n\n")
          .Append("- **retryable**: sending the same request again later may succeed (for jobs: the queue retries it).\n")
          .Append("- **reauth_required**: the user must reconnect the account (`POST /v1/connections/{platform}/authorize`).\n")
          .Append("- **user message**: a sentence safe to show to the end user as is.\n\n");

        foreach (var category in catalog.GroupBy(e => e.Category))
        {
            md.Append("## ").Append(category.Key).Append("\n\n")
              .Append("| Code | HTTP status | Retryable | reauth_required | User message | Description |\n")
              .Append("|---|---|---|---|---|---|\n");
            foreach (var e in category)
            {
                md.Append("| `").Append(e.Code).Append("` | ")
                  .Append(e.Status).Append(' ').Append(Cell(e.Title)).Append(" | ")
                  .Append(e.Retryable ? "yes" : "no").Append(" | ")
                  .Append(e.ReauthRequired ? "yes" : "no").Append(" | ")
                  .Append(Cell(e.UserMessage)).Append(" | ")
                  .Append(Cell(e.Description)).Append(" |\n");
            }
            md.Append('\n');
        }
        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");
}
