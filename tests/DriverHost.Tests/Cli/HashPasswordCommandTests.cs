using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Cli;

namespace OpenList.DriverHost.DriverHost.Tests.CliTests;

public sealed class HashPasswordCommandTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData("s3cret pass\nsecond line\n", "s3cret pass")]
    [InlineData("windows\r\n", "windows")]
    [InlineData("no newline", "no newline")]
    [InlineData("密码🔑\n", "密码🔑")]
    public void Redirected_input_hashes_the_first_line_and_prints_only_the_hash(string stdin, string password)
    {
        var exit = HashPasswordCommand.Run(Console(stdin), iterations: 1000);

        Assert.Equal(0, exit);
        var lines = _out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var hash = Assert.Single(lines);
        Assert.True(PasswordHasher.Verify(password, hash));
        Assert.DoesNotContain(password, _out.ToString() + _error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void Empty_password_is_refused(string stdin)
    {
        Assert.Equal(1, HashPasswordCommand.Run(Console(stdin), iterations: 1000));

        Assert.Equal("", _out.ToString());
        Assert.Contains("empty", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_input_prompts_twice_without_echo_and_handles_backspace()
    {
        var keys = Keys("ab\bc\r" + "ac\r");

        var exit = HashPasswordCommand.Run(Console("", redirected: false, keys), iterations: 1000);

        Assert.Equal(0, exit);
        Assert.True(PasswordHasher.Verify("ac", _out.ToString().Trim()));
        Assert.Equal("Password: " + Environment.NewLine + "Repeat password: " + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public void Interactive_entries_that_differ_are_refused()
    {
        Assert.Equal(1, HashPasswordCommand.Run(Console("", redirected: false, Keys("one\rtwo\r")), iterations: 1000));

        Assert.Equal("", _out.ToString());
        Assert.Contains("do not match", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_empty_password_is_refused_without_a_second_prompt()
    {
        Assert.Equal(1, HashPasswordCommand.Run(Console("", redirected: false, Keys("\r")), iterations: 1000));

        Assert.DoesNotContain("Repeat", _error.ToString(), StringComparison.Ordinal);
    }

    private CliConsole Console(string stdin, bool redirected = true, Func<ConsoleKeyInfo>? keys = null) =>
        new(new StringReader(stdin), _out, _error, redirected, keys ?? (() => throw new InvalidOperationException("no keys")));

    private static Func<ConsoleKeyInfo> Keys(string typed)
    {
        var queue = new Queue<char>(typed);
        return () =>
        {
            var c = queue.Dequeue();
            var key = c switch
            {
                '\r' => ConsoleKey.Enter,
                '\b' => ConsoleKey.Backspace,
                _ => ConsoleKey.A,
            };
            return new ConsoleKeyInfo(c, key, shift: false, alt: false, control: false);
        };
    }
}
