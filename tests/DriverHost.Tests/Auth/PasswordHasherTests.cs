using OpenList.DriverHost.Auth;

namespace OpenList.DriverHost.DriverHost.Tests.AuthTests;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_round_trips_and_has_the_documented_format()
    {
        var hash = PasswordHasher.Hash("correct horse 电池 🐎", iterations: 1000);

        var parts = hash.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("1000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.True(PasswordHasher.IsWellFormed(hash));
        Assert.True(PasswordHasher.Verify("correct horse 电池 🐎", hash));
    }

    [Fact]
    public void Salts_differ_between_hashes() =>
        Assert.NotEqual(PasswordHasher.Hash("same", 1000), PasswordHasher.Hash("same", 1000));

    [Fact]
    public void Default_iteration_count_is_600000() => Assert.Equal(600_000, PasswordHasher.DefaultIterations);

    [Theory]
    [InlineData("wrong")]
    [InlineData("")]
    [InlineData("secret ")]
    [InlineData("SECRET")]
    public void Wrong_password_fails(string attempt) =>
        Assert.False(PasswordHasher.Verify(attempt, PasswordHasher.Hash("secret", 1000)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==")]
    [InlineData("pbkdf2-sha1$1000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$-1$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$99999999999$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$c2hvcnQ=")]
    [InlineData("pbkdf2-sha256$1000$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Malformed_hash_is_not_well_formed_and_verifies_false(string? hash)
    {
        Assert.False(PasswordHasher.IsWellFormed(hash));
        Assert.False(PasswordHasher.Verify("secret", hash));
        Assert.Equal(0, PasswordHasher.GetIterations(hash));
    }
}
