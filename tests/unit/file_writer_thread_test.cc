#include "persistence/file_writer_thread.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "persistence/rdb_writer.h"
#include "types/value.h"

namespace basalt {
namespace {

class FileWriterThreadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fwt-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  static FileWriterThread::State WaitDone(const FileWriterThread& w) {
    for (int i = 0; i < 500 && w.state() == FileWriterThread::State::kWriting; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return w.state();
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool Exists(const std::string& path) const { return access(path.c_str(), F_OK) == 0; }

  std::string dir_;
};

TEST_F(FileWriterThreadTest, WritesEverythingInOrderThenRenames) {
  const std::string tmp = dir_ + "/temp.rdb";
  const std::string final_path = dir_ + "/dump.rdb";
  std::string expected;
  {
    FileWriterThread w(tmp, /*incremental_fsync=*/true);
    for (int i = 0; i < 2000; ++i) {
      const std::string chunk = std::to_string(i) + std::string(3000, 'a' + i % 26);
      ASSERT_TRUE(w.Write(chunk));
      expected += chunk;
    }
    w.Close(final_path);
    ASSERT_EQ(WaitDone(w), FileWriterThread::State::kDone);
    EXPECT_EQ(w.queued_bytes(), 0u);
  }
  EXPECT_FALSE(Exists(tmp));
  EXPECT_EQ(Read(final_path), expected);
}

TEST_F(FileWriterThreadTest, CloseWithoutRenameKeepsThePath) {
  const std::string tmp = dir_ + "/base.aof";
  FileWriterThread w(tmp, /*incremental_fsync=*/false);
  ASSERT_TRUE(w.Write("hello"));
  w.Close("");
  ASSERT_EQ(WaitDone(w), FileWriterThread::State::kDone);
  EXPECT_EQ(Read(tmp), "hello");
}

// Bytes and whole entries interleaved, with the RDB trailer: the file is what RdbWriter
// would have written in one go, CRC-64 included (or zeros without rdbchecksum).
TEST_F(FileWriterThreadTest, SerializesEntriesInPlaceAndAppendsTheTrailer) {
  RdbSaveOptions opts;
  const std::string big(3 << 20, 'z');
  for (const bool checksum : {true, false}) {
    StringSink expected_sink;
    RdbWriter expected(&expected_sink, checksum, opts);
    expected.WriteHeader();
    expected.WriteEntry("a", Value::String("1"), -1, -1, -1);
    expected.WriteEntry("big", Value::String(big), 1234567, 5, -1);
    expected.WriteEntry("b", Value::String("2"), -1, -1, -1);
    expected.Finish();

    const std::string tmp = dir_ + "/temp.rdb";
    const auto trailer = checksum ? FileWriterThread::Trailer::kRdbChecksum
                                  : FileWriterThread::Trailer::kRdbZeros;
    {
      FileWriterThread w(tmp, false, trailer);
      RdbWriter writer(&w, checksum, opts);
      writer.WriteHeader();
      writer.WriteEntry("a", Value::String("1"), -1, -1, -1);
      writer.WriteEntryLater("big", Value::String(big), 1234567, 5, -1);
      writer.WriteEntry("b", Value::String("2"), -1, -1, -1);
      writer.Finish();
      w.Close("");
      ASSERT_EQ(WaitDone(w), FileWriterThread::State::kDone);
      EXPECT_EQ(w.pending_entries(), 0u);
    }
    EXPECT_EQ(Read(tmp), expected_sink.data) << "checksum " << checksum;
  }
}

TEST_F(FileWriterThreadTest, WithoutTrailerEntriesAreRefused) {
  FileWriterThread w(dir_ + "/base.aof", false);
  EXPECT_FALSE(w.AppendsTrailer());
  EXPECT_FALSE(w.WriteEntryLater("k", Value::String("v"), -1, -1, -1, RdbSaveOptions{}));
  w.Cancel();
}

TEST_F(FileWriterThreadTest, CancelRemovesTheFile) {
  const std::string tmp = dir_ + "/temp.rdb";
  {
    FileWriterThread w(tmp, false);
    ASSERT_TRUE(w.Write(std::string(1 << 20, 'x')));
    w.Cancel();
    EXPECT_FALSE(Exists(tmp));
  }
  // An unfinished writer cancels itself when destroyed.
  {
    FileWriterThread w(tmp, false);
    ASSERT_TRUE(w.Write("partial"));
  }
  EXPECT_FALSE(Exists(tmp));
}

TEST_F(FileWriterThreadTest, FailuresAreReported) {
  FileWriterThread missing_dir(dir_ + "/no/such/dir/file", false);
  EXPECT_EQ(missing_dir.state(), FileWriterThread::State::kFailed);
  EXPECT_STREQ(missing_dir.failed_op(), "open");
  EXPECT_EQ(missing_dir.error(), ENOENT);
  EXPECT_FALSE(missing_dir.Write("x"));

  // The rename target is a directory: the last step fails and the temp file goes.
  const std::string tmp = dir_ + "/temp.rdb";
  ASSERT_EQ(mkdir((dir_ + "/dump.rdb").c_str(), 0755), 0);
  {
    FileWriterThread w(tmp, false);
    ASSERT_TRUE(w.Write("data"));
    w.Close(dir_ + "/dump.rdb");
    ASSERT_EQ(WaitDone(w), FileWriterThread::State::kFailed);
    EXPECT_STREQ(w.failed_op(), "rename");
  }
  EXPECT_FALSE(Exists(tmp));
}

}  // namespace
}  // namespace basalt
