using System.Diagnostics.CodeAnalysis;

namespace OpenList.DriverHost.Config;

/// <summary>Which state store <c>server.state</c> names.</summary>
public enum StateKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A parsed <c>server.state</c>: <c>sqlite:&lt;path&gt;</c> (relative paths resolve against a base folder) or a
/// <c>postgres://</c>/<c>postgresql://</c> URL. The URL may carry a password: use <see cref="ToString"/> or
/// <see cref="Redact"/> for messages.
/// </summary>
public sealed record StateLocation(StateKind Kind, string Target)
{
    public const string SqlitePrefix = "sqlite:";

    /// <summary>The connection string form, with an absolute SQLite path.</summary>
    public string ConnectionString => Kind == StateKind.Sqlite ? SqlitePrefix + Target : Target;

    /// <summary>Safe for logs: the postgres password is replaced by <c>***</c>.</summary>
    public override string ToString() => Redact(ConnectionString);

    public static bool TryParse(string? text, string baseDirectory, [NotNullWhen(true)] out StateLocation? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "state is empty";
            return false;
        }

        if (text.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = text[SqlitePrefix.Length..];
            if (path.Length == 0 || path.Any(char.IsControl))
            {
                error = "sqlite state needs a file path (sqlite:state.db)";
                return false;
            }

            try
            {
                location = new StateLocation(StateKind.Sqlite, Path.GetFullPath(path, Path.GetFullPath(baseDirectory)));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                error = "sqlite state path is not a valid file path";
                return false;
            }

            error = null;
            return true;
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                error = "postgres state is not a valid URL (postgres://user:password@host/database)";
                return false;
            }

            location = new StateLocation(StateKind.Postgres, text);
            error = null;
            return true;
        }

        error = "state is neither sqlite:<path> nor postgres://…";
        return false;
    }

    /// <summary>Hides the password of a postgres URL; other text is returned unchanged.</summary>
    public static string Redact(string state)
    {
        var schemeEnd = state.IndexOf("://", StringComparison.Ordinal);
        var at = state.LastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd)
        {
            return state;
        }

        var userInfo = state[(schemeEnd + 3)..at];
        var colon = userInfo.IndexOf(':');
        return colon < 0 ? state : state[..(schemeEnd + 3)] + userInfo[..colon] + ":***" + state[at..];
    }
}
