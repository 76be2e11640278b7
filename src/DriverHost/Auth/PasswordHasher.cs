using System.Globalization;
using System.Security.Cryptography;

namespace OpenList.DriverHost.Auth;

/// <summary>
/// Password hashes for drivers.json: PBKDF2-HMAC-SHA256, 16-byte random salt, 32-byte hash, written as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>. Passwords are UTF-8.
/// </summary>
public static class PasswordHasher
{
    public const string Prefix = "pbkdf2-sha256";
    public const int DefaultIterations = 600_000;

    /// <summary>Below this the loader warns (OWASP 2023 asks for 600,000 with SHA-256).</summary>
    public const int MinimumRecommendedIterations = 100_000;

    /// <summary>Upper bound accepted when reading a hash, so a typo cannot stall every login.</summary>
    public const int MaximumIterations = 10_000_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const int MinimumSaltBytes = 8;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaximumIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Prefix, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="password"/> matches; false for a wrong password or a malformed hash.</summary>
    public static bool Verify(string password, string? encodedHash)
    {
        if (password is null || !TryParse(encodedHash, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>True when <paramref name="encodedHash"/> has the format <see cref="Verify"/> accepts.</summary>
    public static bool IsWellFormed(string? encodedHash) => TryParse(encodedHash, out _, out _, out _);

    /// <summary>The iteration count of a well-formed hash; 0 otherwise.</summary>
    public static int GetIterations(string? encodedHash) => TryParse(encodedHash, out var iterations, out _, out _) ? iterations : 0;

    private static bool TryParse(string? encodedHash, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = encodedHash?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Prefix)
        {
            return false;
        }

        if (parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            || iterations < 1 || iterations > MaximumIterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= MinimumSaltBytes && hash.Length == HashBytes;
    }
}
