#include "scripting/script_flags.h"

#include <gtest/gtest.h>

#include "scripting/function_library.h"

namespace basalt {
namespace {

TEST(ScriptFlagsTest, EvalShebang) {
  EvalShebang none = ParseEvalShebang("return 1");
  EXPECT_TRUE(none.ok);
  EXPECT_EQ(none.flags, kScriptEvalCompat);
  EXPECT_EQ(none.length, 0u);

  EvalShebang flags = ParseEvalShebang("#!lua flags=no-writes,allow-oom\nreturn 1");
  EXPECT_TRUE(flags.ok);
  EXPECT_EQ(flags.flags, kScriptNoWrites | kScriptAllowOom);
  EXPECT_EQ(flags.length, 31u);

  EXPECT_EQ(ParseEvalShebang("#!lua\nreturn 1").flags, 0u);
  EXPECT_EQ(ParseEvalShebang("#!lua flags=\nreturn 1").flags, 0u);
  EXPECT_EQ(ParseEvalShebang("#!lua").error, "Invalid script shebang");
  EXPECT_EQ(ParseEvalShebang("#!python\n").error, "Unexpected engine in script shebang: #!python");
  EXPECT_EQ(ParseEvalShebang("#!lua flags=bad\n").error,
            "Unexpected flag in script shebang: bad");
  EXPECT_EQ(ParseEvalShebang("#!lua name=x\n").error, "Unknown lua shebang option: name=x");
}

TEST(ScriptFlagsTest, LibraryShebang) {
  LibraryShebang ok = ParseLibraryShebang("#!lua name=mylib\ncode");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.engine, "lua");
  EXPECT_EQ(ok.name, "mylib");
  EXPECT_EQ(ok.code, "\ncode");
  EXPECT_EQ(ParseLibraryShebang("code").error, "Missing library metadata");
  EXPECT_EQ(ParseLibraryShebang("#!lua name=a").error, "Invalid library metadata");
  EXPECT_EQ(ParseLibraryShebang("#!lua\n").error, "Library name was not given");
  EXPECT_EQ(ParseLibraryShebang("#!lua name=a name=b\n").error,
            "Invalid metadata value, name argument was given multiple times");
  EXPECT_EQ(ParseLibraryShebang("#!lua foo=bar\n").error, "Invalid metadata value given: foo=bar");
}

TEST(ScriptFlagsTest, Names) {
  EXPECT_TRUE(IsValidFunctionName("my_lib1"));
  EXPECT_FALSE(IsValidFunctionName(""));
  EXPECT_FALSE(IsValidFunctionName("a-b"));
  EXPECT_EQ(ScriptFlagByName("NO-WRITES", true), kScriptNoWrites);
  EXPECT_EQ(ScriptFlagByName("NO-WRITES", false), 0u);
}

}  // namespace
}  // namespace basalt
