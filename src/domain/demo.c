/*
 * demo.c - the first-start demo library.
 *
 * Documents come from the built-in assets under demo/ and go through the
 * same ingest path as uploads, so the demo exercises the real parser and
 * preview code. Which category a file lands in is decided by its name.
 */
#include "demo.h"

#include "../base/arena.h"
#include "../base/asset.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../store/store.h"
#include "docs.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *slug, *name;
	const char *file_prefix;	/* demo files of this category */
	int price;
	bool vip_free;		/* free for VIP members */
} categories[] = {
	{ "dangjian", "党建", "demo/reference-lecture", 10, false },
	{ "jianghuagao", "讲话稿", "demo/jianghua", 5, true },
	{ "gongzuozongjie", "工作总结", "demo/zongjie", 0, false },
	{ "xindetihui", "心得体会", "demo/xinde", 3, false },
	{ "gongwenxiezuo", "公文写作", "demo/gongwen", 0, false },
	{ "guizhangzhidu", "规章制度", "demo/zhidu", 8, false },
	{ "shuzhibaogao", "述职报告", "demo/shuzhi", 5, true },
	{ "jihuafangan", "计划方案", "demo/jihua", 5, false },
};
#define NCAT (sizeof(categories) / sizeof(categories[0]))

struct seed_ctx {
	struct store *s;
	int64_t cat_ids[NCAT];
	int64_t provider_id;
	int64_t first_doc;
	int docs;
};

static int add_file(const char *name, void *arg)
{
	struct seed_ctx *c = arg;
	const unsigned char *data;
	struct docs_new nd;
	size_t len, i;
	char err[256];
	int64_t id;
	int owned, rc;

	if (strstr(name, "README"))
		return 0;
	for (i = 0; i < NCAT; i++)
		if (!strncmp(name, categories[i].file_prefix,
			     strlen(categories[i].file_prefix)))
			break;
	if (i == NCAT) {
		log_warn("demo file %s matches no category; skipped", name);
		return 0;
	}
	if ((rc = asset_get(name, &data, &len, &owned)))
		return rc;
	memset(&nd, 0, sizeof(nd));
	nd.filename = strrchr(name, '/') + 1;
	nd.category_id = c->cat_ids[i];
	nd.provider_id = c->provider_id;
	nd.price = categories[i].price;
	nd.vip_free = categories[i].vip_free;
	nd.publish = true;
	rc = docs_ingest(c->s, data, len, &nd, &id, err, sizeof(err));
	if (owned)
		free((void *)data);
	if (rc) {
		log_error("demo document %s: %s", name, err);
		return rc;
	}
	if (!c->first_doc || strstr(name, "reference-lecture"))
		c->first_doc = id;
	c->docs++;
	return 0;
}

static int add_comments(struct store *s, int64_t doc, int64_t provider)
{
	struct store_user reader = {
		.name = "wenmi-xiaobai",
		.display_name = "文秘小白",
		.role = "reader",
		.bio = "",
	};
	int64_t c1, c2;
	int rc;

	if ((rc = store_user_insert(s, &reader)))
		return rc;
	if ((rc = store_comment_insert(
		     s, doc, reader.id, 0,
		     "结构清晰,问题和对策都写得很实在,正好用来准备支部党课。",
		     &c1)))
		return rc;
	if ((rc = store_comment_insert(
		     s, doc, provider, c1,
		     "谢谢支持!结合本单位实际补充具体事例,效果会更好。", &c2)))
		return rc;
	return 0;
}

int demo_seed(struct store *s, bool *seeded)
{
	struct store_user provider = {
		.name = "cailiao-dashijie",
		.display_name = "材料大师姐",
		.role = "provider",
		.bio = "专注机关公文与党建材料写作十余年,原创精品材料持续更新。",
		.verified = true,
	};
	struct store_category *cats;
	struct seed_ctx c;
	struct arena *a;
	size_t ncats, i;
	int rc;

	*seeded = false;
	a = arena_new(0);
	if (!a)
		return WK_ENOMEM;
	rc = store_category_list(s, a, &cats, &ncats);
	arena_free(a);
	if (rc)
		return rc;
	if (ncats > 0 || store_doc_count(s, 0) != 0)
		return 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	for (i = 0; i < NCAT; i++) {
		struct store_category cat = {
			.slug = categories[i].slug,
			.name = categories[i].name,
			.sort = (int)i,
		};
		if ((rc = store_category_insert(s, &cat)))
			return rc;
		c.cat_ids[i] = cat.id;
	}
	if ((rc = store_user_insert(s, &provider)))
		return rc;
	c.provider_id = provider.id;
	if ((rc = asset_each("demo/", add_file, &c)))
		return rc;
	if (c.first_doc && (rc = add_comments(s, c.first_doc, provider.id)))
		return rc;
	rc = store_fragment_set(
		s, "doc_notice",
		"新用户注册即送积分,参与评论、上传优质文档均可获得积分奖励。\n\n"
		"找不到需要的材料?联系右侧客服,提供定制写作服务。");
	if (rc)
		return rc;
	log_info("demo library created: %zu categories, %d documents", NCAT,
		 c.docs);
	*seeded = true;
	return 0;
}
